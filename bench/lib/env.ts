import type { Browser } from '@playwright/test';
import type { MockLlm } from '../../tests/fixtures/mock-llm';

/** What every measurement gets from `run.ts`. */
export interface BenchEnv {
  browser: Browser;
  /** The bench build (`dist-bench/`, hooks on), served at this origin. */
  appUrl: string;
  /** The normal build's output directory (sizes are measured on it). */
  distDirectory: string;
  mock: MockLlm;
  /** Repetitions of each measurement; each reported figure is the median over them. */
  runs: number;
  log(message: string): void;
}

export function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
