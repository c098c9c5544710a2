/**
 * What tabs say to each other without SharedWorker. Only a tab's main thread can hand a port to
 * its own worker, and a BroadcastChannel cannot carry ports, so a follower's port to the core is
 * tunnelled: its traffic crosses a channel of its own (`linkChannelName`), ports inside included.
 */

/** On the relay channel (`relayChannelName`): a follower asks for a link; a new leader says it leads. */
export type RelayMessage =
  /** A follower's request; the answer comes on the link's own channel. Sent again on every `leader-ready`. */
  | { type: 'link-request'; linkId: string; lockName: string }
  /** A tab has just become the leader and listens: whoever asked before it did, asks again. */
  | { type: 'leader-ready' };

/** On one link's channel: the leader's answer, then the tunnelled port's traffic both ways. */
export type LinkMessage =
  /** The leader took the link; the follower learns that the leader died when it gets this lock. */
  | { type: 'link-ready'; leaderLockName: string }
  /** A message of one of the tunnelled ports; `ports` names the ports it carried, in place of each a mark. */
  | { type: 'port-message'; port: string; data: unknown; ports?: string[] };

export function isRelayMessage(data: unknown): data is RelayMessage {
  return (
    typeof data === 'object' && data !== null && 'type' in data && (data.type === 'link-request' || data.type === 'leader-ready')
  );
}

export function isLinkMessage(data: unknown): data is LinkMessage {
  return (
    typeof data === 'object' && data !== null && 'type' in data && (data.type === 'link-ready' || data.type === 'port-message')
  );
}
