import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../src/shared/protocol';
import { isNewerBuild } from '../../src/worker/lifecycle/build-skew';
import { replyTextFor, startMockLlm, type MockLlm } from '../fixtures/mock-llm';
import { makeHarness, type Harness } from './harness';

let harness: Harness | undefined;
let mock: MockLlm | undefined;
afterEach(async () => {
  await harness?.close();
  await mock?.close();
  harness = undefined;
  mock = undefined;
});

const waiting = (event: CoreEvent) => event.type === 'run-status' && event.status === 'waiting';

describe('sending while the provider is unreachable', () => {
  it('waits visibly, keeps the message, and delivers it when the provider is back', async () => {
    const first = await startMockLlm();
    const port = first.port;
    harness = await makeHarness({ mock: first });
    const id = await harness.conversation('mock-fast');
    await first.close();

    const sent = await harness.core.runs.send(id, 'Are you there?');
    expect(sent.ok).toBe(true);
    const status = await harness.waitForEvent(waiting);
    expect(status.type === 'run-status' && status.error?.kind).toBe('network');
    await harness.waitForEvent((event) => event.type === 'connectivity-change' && event.offline);
    expect(harness.core.connectivity.offline).toBe(true);
    const [user] = await harness.messages(id);
    expect(user).toMatchObject({ role: 'user', content: 'Are you there?' });

    mock = await startMockLlm({ port });
    await harness.core.runs.settle();
    const [, reply] = await harness.messages(id);
    expect(reply).toMatchObject({ status: 'complete', content: replyTextFor('mock-fast') });
    expect(harness.core.connectivity.offline).toBe(false);
    expect(harness.events.some((event) => event.type === 'connectivity-change' && !event.offline)).toBe(true);
    // Waiting never counted as failed attempts: no retry status, no error.
    expect(harness.events.some((event) => event.type === 'run-status' && event.status === 'error')).toBe(false);
  });

  it('the user can cancel a waiting message; what they typed stays', async () => {
    const first = await startMockLlm();
    harness = await makeHarness({ mock: first });
    const id = await harness.conversation('mock-fast');
    await first.close();
    await harness.core.runs.send(id, 'Keep this');
    await harness.waitForEvent(waiting);
    await harness.core.runs.stop(id);
    const [user, reply] = await harness.messages(id);
    expect(user.content).toBe('Keep this');
    expect(reply).toMatchObject({ status: 'stopped', content: '' });
    // Resume sends it once the provider is back.
    expect((await harness.core.runs.resume(id)).ok).toBe(true);
    await harness.core.runs.stop(id);
  });
});

describe('build skew', () => {
  it('orders timestamp build ids and treats any other different id as newer', () => {
    expect(isNewerBuild('20261124000000', '20261123000000')).toBe(true);
    expect(isNewerBuild('20261122000000', '20261123000000')).toBe(false);
    expect(isNewerBuild('same', 'same')).toBe(false);
    expect(isNewerBuild('build-b', 'build-a')).toBe(true);
  });
});
