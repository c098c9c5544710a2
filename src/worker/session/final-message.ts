import type { ErrorInfo, Message, ModelPricing, Usage } from '../../shared/protocol';
import { addUsage, replyCost } from '../../shared/pricing';
import type { StreamOutcome } from '../providers/client';

/** Everything a run knows when it ends. */
export interface RunResult {
  /** The reply as the run started it (on resume, with the earlier text, usage and cost). */
  previous: Message;
  content: string;
  reasoning: string;
  reasoningMs: number | undefined;
  outcome: StreamOutcome | undefined;
  failure: ErrorInfo | undefined;
  /** The provider sent something: it will bill for it, whether or not it says how much. */
  receivedText: boolean;
  pricing: ModelPricing | undefined;
  now: number;
}

/** The reply's final row, and what this run adds to the conversation's totals. */
export interface RunClosing {
  message: Message;
  usage: Usage | undefined;
  cost: number;
  /** This run's cost is not known (text arrived, no usage did). */
  costUnknown: boolean;
}

/**
 * The message a run ends with. Content is only the model's text; "stopped" is the status.
 * Cost is the provider-reported cost when given, else tokens × stored pricing; a run that got
 * text but no usage adds nothing and marks the cost unknown — never a silent $0.
 */
export function finalMessage(result: RunResult): RunClosing {
  const { previous, outcome, failure } = result;
  const stopped = failure?.kind === 'aborted';
  const usage = outcome?.usage;
  const cost = usage ? replyCost(usage, result.pricing, outcome?.reportedCost) : 0;
  const costUnknown = result.receivedText && !usage;
  const message: Message = {
    ...previous,
    content: result.content,
    status: stopped ? 'stopped' : failure ? 'error' : 'complete',
    finishReason: stopped ? (previous.finishReason ?? null) : failure ? 'error' : (outcome?.finishReason ?? 'stop'),
    updatedAt: result.now,
  };
  if (result.reasoning) message.reasoning = result.reasoning;
  if (result.reasoningMs !== undefined) message.reasoningMs = result.reasoningMs;
  if (failure && !stopped) message.error = failure;
  else delete message.error;
  if (usage) {
    message.usage = previous.usage ? addUsage(previous.usage, usage) : usage;
    message.cost = (previous.cost ?? 0) + cost;
  }
  if (costUnknown) message.costUnknown = true;
  return { message, usage, cost, costUnknown };
}
