import type { Message, ModelPricing, Usage } from './protocol';

/** Sum two usages. */
export function addUsage(a: Usage, b: Usage): Usage {
  return { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens };
}

/**
 * A provider's price per token ("0.000002", as OpenRouter sends it) as USD per million tokens.
 * Unknown, negative (OpenRouter's "-1" for variable routing) or unparsable prices give undefined.
 */
export function perTokenToPerMillion(value: unknown): number | undefined {
  const perToken = typeof value === 'string' ? Number(value) : value;
  if (typeof perToken !== 'number' || !Number.isFinite(perToken) || perToken < 0) return undefined;
  // Rounded to 1e-6 USD per million so "0.0000011" shows as 1.1, not 1.0999999999999999.
  return Math.round(perToken * 1e12) / 1e6;
}

/** USD for a reply with this usage at this pricing (0 when the price is unknown). */
export function costOf(usage: Usage, pricing: ModelPricing | undefined): number {
  if (!pricing) return 0;
  return (usage.promptTokens * pricing.promptPerMillion + usage.completionTokens * pricing.completionPerMillion) / 1e6;
}

/**
 * The cost of one reply: what the provider reported when it did (OpenRouter's `usage.cost`),
 * else tokens times the stored pricing.
 */
export function replyCost(usage: Usage, pricing: ModelPricing | undefined, reportedCost?: number): number {
  if (typeof reportedCost === 'number' && Number.isFinite(reportedCost) && reportedCost >= 0) return reportedCost;
  return costOf(usage, pricing);
}

/** "$0.0012" — four decimals below a dollar (model costs are small), two above. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0.00';
  if (usd < 0.0001) return '<$0.0001';
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/**
 * A cost that may leave out replies whose provider reported no usage: "$0.0012" when it is
 * all known, "≥ $0.0012" when it is a lower bound, "unknown" when nothing of it is known.
 */
export function formatCostBound(usd: number, unknown: boolean | undefined): string {
  if (!unknown) return formatCost(usd);
  return usd < 0.0001 ? 'unknown' : `≥ ${formatCost(usd)}`;
}

/** Said beside a cost that is a lower bound or unknown. */
export const UNKNOWN_COST_NOTE = 'The provider did not report usage for a reply, so its cost is not known.';

/** "$1.10 / $4.40" per million tokens, or undefined without pricing. */
export function formatPricing(pricing: ModelPricing | undefined): string | undefined {
  if (!pricing) return undefined;
  const format = (value: number) => (value === 0 ? 'free' : `$${Number(value.toPrecision(4))}`);
  return `${format(pricing.promptPerMillion)} in · ${format(pricing.completionPerMillion)} out per 1M`;
}

/** Built once: `toLocaleString` makes a formatter per call, and every reply shows its usage. */
const TOKEN_COUNT = new Intl.NumberFormat('en-US');

/** "125 in · 480 out". */
export function formatUsage(usage: Usage): string {
  return `${TOKEN_COUNT.format(usage.promptTokens)} in · ${TOKEN_COUNT.format(usage.completionTokens)} out`;
}

/** A conversation's totals: every reply it holds, on every branch. Recomputed, never merged. */
export function totalsOf(messages: Iterable<Pick<Message, 'usage' | 'cost' | 'costUnknown'>>): {
  usage: Usage;
  cost: number;
  costUnknown: boolean;
} {
  let usage: Usage = { promptTokens: 0, completionTokens: 0 };
  let cost = 0;
  let costUnknown = false;
  for (const message of messages) {
    if (message.usage) usage = addUsage(usage, message.usage);
    cost += message.cost ?? 0;
    costUnknown ||= message.costUnknown === true;
  }
  return { usage, cost, costUnknown };
}
