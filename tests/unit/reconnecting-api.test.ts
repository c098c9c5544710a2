/**
 * A call in flight when its core dies never gets an answer from it (a dead port is silent). The
 * tab's API asks reads again of the next core, and answers `aborted` for what must not happen twice.
 */
import { describe, expect, it, vi } from 'vitest';
import type { CoreApi } from '../../src/client/core-client';
import { OpenSessions } from '../../src/client/open-sessions';
import { ReconnectingApi, type Connection } from '../../src/client/reconnecting-api';
import { ok } from '../../src/shared/result';

/** A core for the API to call: only the methods a test gives it; `die` makes it silent for good. */
function fakeCore(methods: Partial<CoreApi>): Connection & { die(): void } {
  let die!: () => void;
  const lost = new Promise<void>((resolve) => (die = resolve));
  return { api: methods as CoreApi, lost, die };
}

/** A source whose current core the test swaps. */
function source() {
  const sessions = new OpenSessions();
  let current: Connection | undefined;
  const waiting: Array<(connection: Connection) => void> = [];
  return {
    sessions,
    current: () => current,
    next: () => (current ? Promise.resolve(current) : new Promise<Connection>((resolve) => waiting.push(resolve))),
    use(connection: Connection | undefined) {
      current = connection;
      if (connection) for (const resolve of waiting.splice(0)) resolve(connection);
    },
  };
}

const silent = () => new Promise<never>(() => undefined);

describe('the API across a change of core', () => {
  it('a read in flight when its core dies is asked again of the next core', async () => {
    const cores = source();
    const dead = fakeCore({ listConversations: silent });
    cores.use(dead);
    const api = new ReconnectingApi(cores);
    const answer = api.listConversations();

    dead.die();
    cores.use(undefined);
    const next = fakeCore({ listConversations: async () => [] });
    cores.use(next);

    await expect(answer).resolves.toEqual([]);
  });

  it('a send in flight when its core dies answers `aborted`, and is not sent again', async () => {
    const cores = source();
    const dead = fakeCore({ sendMessage: silent });
    cores.use(dead);
    const api = new ReconnectingApi(cores);
    const answer = api.sendMessage('c1', 'Hello');
    const sendAgain = vi.fn(async () => ok({ userMessageId: 'u', assistantMessageId: 'a' }));
    cores.use(fakeCore({ sendMessage: sendAgain }));

    dead.die();

    await expect(answer).resolves.toMatchObject({ ok: false, error: { kind: 'aborted' } });
    expect(sendAgain).not.toHaveBeenCalled();
  });

  it('a call made between two cores waits for the next one', async () => {
    const cores = source();
    const api = new ReconnectingApi(cores);
    const answer = api.isOffline();
    cores.use(fakeCore({ isOffline: async () => true }));
    await expect(answer).resolves.toBe(true);
  });

  it('session calls go only to the core of now; the next core gets the open sessions again, as often as they were opened', async () => {
    const cores = source();
    const api = new ReconnectingApi(cores);
    await api.openSession('c1');
    const openSession = vi.fn(async () => undefined);
    const closeSession = vi.fn(async () => undefined);
    cores.use(fakeCore({ openSession, closeSession }));
    await api.openSession('c1');
    await api.openSession('c2');
    await api.closeSession('c2');
    await api.closeSession('never-opened');

    expect(openSession.mock.calls).toEqual([['c1'], ['c2']]);
    expect(closeSession.mock.calls).toEqual([['c2']]);
    expect(cores.sessions.takeReplay().reopen).toEqual(['c1', 'c1']);
  });

  it('a hidden tab stays hidden for the next core (it would send it deltas again)', async () => {
    const cores = source();
    const api = new ReconnectingApi(cores);
    const setHidden = vi.fn(async () => undefined);
    cores.use(fakeCore({ setHidden }));
    await api.setHidden(true);
    expect(setHidden).toHaveBeenCalledWith(true);
    expect(cores.sessions.takeReplay().hidden).toBe(true);
    await api.setHidden(false);
    expect(cores.sessions.takeReplay().hidden).toBe(false);
  });
});
