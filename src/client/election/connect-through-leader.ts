import { coreLockName, leaderLockName, type LockRequester } from '../../shared/locks';
import type { AttachIdentity } from '../core-client';
import { ReconnectingClient } from '../reconnecting-client';
import { openLink, type FollowerLink } from './follower-link';
import { serveFollowers } from './leader-relay';

/** The core this tab starts when it becomes the leader (its dedicated worker). */
export interface CoreHost {
  /** Hand the core a port: it serves one tab on it. */
  connect(port: MessagePort): void;
}

export interface ElectionOptions {
  /** This tab: its id, and the lock it holds for its life (taken before this is called). */
  identity: AttachIdentity;
  locks: LockRequester;
  /** Start this tab's core; called once, when this tab becomes the leader. */
  startCore(): CoreHost;
}

export interface ElectedClient {
  client: ReconnectingClient;
  /** Resolves once this tab leads and its client talks to its own core. */
  leading: Promise<void>;
}

const forever = (): Promise<never> => new Promise<never>(() => undefined);

/**
 * Without SharedWorker: one core for every tab of this build, in the leader tab's dedicated
 * worker; the other tabs (followers) reach it through the relay. Order of events:
 *
 *  1. The tab queues for the leader lock (`parley-leader-<build>`) and, while it waits,
 *     follows: it asks the leader for a link and attaches over it with its own tab lock (the
 *     leader's core drops its sessions when it dies).
 *  2. The leader dies — tab closed or crashed; its worker, core and provider requests die with
 *     it. Its tab lock is granted to each follower: their links are lost and they ask again
 *     (step 1), while the first in the lock's queue is granted the leader lock.
 *  3. Granted the leader lock (at once when there was no leader): stop following; wait until
 *     the old leader's worker, which may outlive its tab by a moment, has let go of the core
 *     lock — a build never runs two cores — then start the core (it finds the writer lock free
 *     and marks the dead leader's replies interrupted before it serves), serve followers, and
 *     attach this tab's client to its own core.
 *  4. Every client attached to a new core opens its sessions again and gets their snapshots
 *     (ReconnectingClient.use): a reply that died with the old leader shows Resume.
 *
 * Resolves with the client once it is attached to a core, as leader or follower.
 */
export async function connectThroughLeader(options: ElectionOptions): Promise<ElectedClient> {
  const { identity, locks } = options;
  const client = new ReconnectingClient(identity);
  const following = new AbortController();
  let link: FollowerLink | undefined;
  let markLeading!: () => void;
  const leading = new Promise<void>((resolve) => (markLeading = resolve));

  let closed = false;
  client.onClose(() => {
    closed = true;
    following.abort();
    link?.close();
  });

  void locks
    .request(leaderLockName(identity.buildId), async () => {
      // A tab that has closed its client leads nothing: returning lets the next one lead.
      if (closed) return;
      following.abort();
      link?.close();
      await locks.request(coreLockName(identity.buildId), () => undefined);
      if (closed) return;
      const core = options.startCore();
      const connect = (port: MessagePort): void => core.connect(port);
      client.onClose(serveFollowers({ buildId: identity.buildId, locks, leaderLockName: identity.lockName, connect }));
      const own = new MessageChannel();
      core.connect(own.port1);
      await client.use(own.port2, forever());
      markLeading();
      return forever();
    })
    .catch(() => undefined);

  void (async () => {
    while (!following.signal.aborted) {
      link = await openLink({ buildId: identity.buildId, locks, lockName: identity.lockName, signal: following.signal });
      if (!link) return;
      // The leader lock may have come meanwhile: this link led to a leader already gone.
      if (following.signal.aborted) return link.close();
      await client.use(link.port, link.lost);
      await link.lost;
    }
  })().catch(() => undefined);

  await client.connected;
  return { client, leading };
}
