import { linkChannelName, relayChannelName, type LockRequester } from '../../shared/locks';
import { tunnelPort } from './port-tunnel';
import { isRelayMessage, type LinkMessage, type RelayMessage } from './relay-messages';

export interface LeaderRelayOptions {
  buildId: string;
  locks: LockRequester;
  /** The leader tab's own lock: a follower is granted it when the leader is gone. */
  leaderLockName: string;
  /** Hand the core a port: it serves one more tab on it. */
  connect(port: MessagePort): void;
}

/**
 * The leader's side of the relay: every follower that asks gets a port to the core.
 *
 *  1. Listen on the relay channel, then say `leader-ready` there: a follower that asked while
 *     there was no leader (nobody heard it) asks again.
 *  2. A `link-request`: open the link's channel, give the core one end of a new MessageChannel
 *     and tunnel the other over the link, then answer `link-ready`. A request heard twice is
 *     linked once.
 *  3. The follower's tab lock is granted to us: that tab is gone; close its link. (Its core
 *     session waits on the same lock and drops the tab's sessions.)
 *
 * Returns `stop`: no more links, every link closed.
 */
export function serveFollowers(options: LeaderRelayOptions): () => void {
  const relay = new BroadcastChannel(relayChannelName(options.buildId));
  const links = new Map<string, () => void>();

  relay.onmessage = (event: MessageEvent) => {
    const message: unknown = event.data;
    if (!isRelayMessage(message) || message.type !== 'link-request' || links.has(message.linkId)) return;
    const { linkId, lockName } = message;
    const channel = new BroadcastChannel(linkChannelName(options.buildId, linkId));
    const pair = new MessageChannel();
    options.connect(pair.port1);
    const closeTunnel = tunnelPort(pair.port2, channel);
    links.set(linkId, closeTunnel);
    channel.postMessage({ type: 'link-ready', leaderLockName: options.leaderLockName } satisfies LinkMessage);
    void options.locks.request(lockName, () => {
      links.get(linkId)?.();
      links.delete(linkId);
    });
  };
  relay.postMessage({ type: 'leader-ready' } satisfies RelayMessage);

  return () => {
    relay.close();
    for (const close of links.values()) close();
    links.clear();
  };
}
