import { linkChannelName, relayChannelName, type LockRequester } from '../../shared/locks';
import { tunnelPort } from './port-tunnel';
import { isLinkMessage, isRelayMessage, type RelayMessage } from './relay-messages';

export interface FollowerLinkOptions {
  buildId: string;
  locks: LockRequester;
  /** This tab's own lock: the leader closes the link when it is granted it. */
  lockName: string;
  /** Aborted when this tab becomes the leader itself: stop asking. */
  signal: AbortSignal;
}

/** A follower's way to the leader's core. */
export interface FollowerLink {
  /** This tab's end: Comlink and the event port work over it as over a worker's port. */
  port: MessagePort;
  /** Resolves when the leader is gone, or the link was closed. */
  lost: Promise<void>;
  close(): void;
}

/**
 * Ask the leader for a link; resolves once one answers (undefined when `signal` aborts first).
 *
 * 1. Open the link's channel first (the answer comes there), then ask on the relay channel.
 * 2. While there is no leader (the last one died, the next is starting) nobody answers: ask
 *    again each time a tab says `leader-ready`.
 * 3. `link-ready`: tunnel this tab's port over the link, and ask for the leader's tab lock —
 *    granted only when the leader is gone, and the link with it.
 */
export function openLink(options: FollowerLinkOptions): Promise<FollowerLink | undefined> {
  const { buildId, locks, lockName, signal } = options;
  const linkId = crypto.randomUUID();
  const relay = new BroadcastChannel(relayChannelName(buildId));
  const channel = new BroadcastChannel(linkChannelName(buildId, linkId));
  const ask = (): void => relay.postMessage({ type: 'link-request', linkId, lockName } satisfies RelayMessage);

  return new Promise((resolve) => {
    const giveUp = (): void => {
      relay.close();
      channel.close();
      resolve(undefined);
    };
    if (signal.aborted) return giveUp();
    signal.addEventListener('abort', giveUp, { once: true });
    relay.onmessage = (event: MessageEvent) => {
      const message: unknown = event.data;
      if (isRelayMessage(message) && message.type === 'leader-ready') ask();
    };
    channel.onmessage = (event: MessageEvent) => {
      const message: unknown = event.data;
      if (!isLinkMessage(message) || message.type !== 'link-ready') return;
      signal.removeEventListener('abort', giveUp);
      relay.close();
      channel.onmessage = null;
      const pair = new MessageChannel();
      const closeTunnel = tunnelPort(pair.port2, channel);
      let markLost!: () => void;
      const lost = new Promise<void>((resolveLost) => (markLost = resolveLost));
      const close = (): void => {
        closeTunnel();
        markLost();
      };
      void locks.request(message.leaderLockName, close);
      resolve({ port: pair.port1, lost, close });
    };
    ask();
  });
}
