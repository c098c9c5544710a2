/**
 * Resume on every kind of provider, after every kind of interruption. Whatever the provider does
 * with the partial reply — continues the prefill, ignores it and answers afresh, follows the
 * instruction but repeats its last words, or starts over — the stored reply is exactly what one
 * uninterrupted reply would have been, and the tabs were never sent a character twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent, MessageDeltaEvent, PresetId } from '../../src/shared/protocol';
import { presetById } from '../../src/shared/presets';
import { CONTINUE_INSTRUCTION } from '../../src/worker/providers/chat-request';
import { replyTextFor } from '../fixtures/mock-llm';
import { deltaText, makeHarness, type Harness } from './harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const isDelta = (event: CoreEvent): event is MessageDeltaEvent => event.type === 'message-delta';

/** How the reply gets cut, and the mock model that cuts it that way. */
const INTERRUPTIONS: Array<{ name: string; model: string; cut: (current: Harness, conversationId: string) => Promise<void> }> = [
  {
    name: 'stop',
    model: 'mock-slow:tokens=60:delay=5',
    async cut(current, conversationId) {
      await current.waitForEvent((event) => isDelta(event) && event.seq >= 2);
      await current.core.runs.stop(conversationId);
    },
  },
  { name: 'length cut', model: 'mock-length', cut: (current) => current.core.runs.settle() },
  { name: 'dropped connection', model: 'mock-drop', cut: (current) => current.core.runs.settle() },
  {
    name: 'interrupted (the core died)',
    model: 'mock-slow:tokens=120:delay=5',
    async cut(current, conversationId) {
      // A checkpoint lands, then the run vanishes without a final write, as when the worker
      // dies; the next core start marks the row interrupted.
      await current.waitForEvent((event) => isDelta(event) && event.seq >= 20);
      await current.core.runs.discard(conversationId);
      await current.core.repository.markStreamingInterrupted(Date.now());
    },
  },
];

/** A provider kind: the preset (its resume style) and the mock behaviour (its model id suffix). */
const PROVIDERS: Array<{ name: string; preset: PresetId; suffix: string }> = [
  { name: 'continues a prefill (llama.cpp)', preset: 'llamacpp', suffix: '' },
  { name: 'ignores a prefill and answers afresh', preset: 'openrouter', suffix: ':afresh' },
  { name: 'continues after the instruction, repeating its last words (OpenAI)', preset: 'openai', suffix: ':overlap=4' },
  { name: 'starts over after the instruction', preset: 'custom', suffix: ':afresh' },
  { name: 'continues with the prefix flag (DeepSeek)', preset: 'deepseek', suffix: '' },
];

describe('resume, every provider × every interruption', () => {
  for (const provider of PROVIDERS) {
    for (const interruption of INTERRUPTIONS) {
      it(`${interruption.name} → resume on a provider that ${provider.name}`, async () => {
        harness = await makeHarness({ preset: provider.preset });
        const model = interruption.model + provider.suffix;
        const whole = replyTextFor(model);
        const id = await harness.conversation(model);
        const receipt = await harness.core.runs.send(id, 'Tell me something');
        if (!receipt.ok) throw new Error(receipt.error.message);
        await interruption.cut(harness, id);
        const [, cut] = await harness.messages(id);
        expect(cut.content.length).toBeGreaterThan(0);
        expect(cut.content.length).toBeLessThan(whole.length);

        const eventsBefore = harness.events.length;
        const resumed = await harness.core.runs.resume(id);
        expect(resumed.ok).toBe(true);
        await harness.core.runs.settle();

        const [, reply] = await harness.messages(id);
        expect(reply).toMatchObject({ id: cut.id, status: 'complete', finishReason: 'stop' });
        expect(reply.content).toBe(whole);
        // The tabs were sent each character once: the resumed run's deltas are exactly the rest.
        expect(cut.content + deltaText(harness.events.slice(eventsBefore), reply.id)).toBe(whole);

        // The provider was asked its own way.
        const asked = harness.mock.chatRequests().at(-1)!.body.messages;
        const style = presetById(provider.preset).capabilities.resume;
        if (style === 'instruction') expect(asked.at(-1)).toEqual({ role: 'user', content: CONTINUE_INSTRUCTION });
        else expect(asked.at(-1)).toMatchObject({ role: 'assistant', content: cut.content.trimEnd() });
        if (style === 'prefix-flag') expect(asked.at(-1).prefix).toBe(true);
      });
    }
  }
});
