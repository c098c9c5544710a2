/** The summary rows of the two streaming measurements: fan-out to tabs, and render cost. */
import type { FanOutResult } from '../fanout';
import type { RenderResult } from '../render';
import { count, kB, ms, times } from './format';
import type { Row } from './report';

/** Render targets: main-thread busy against the plain-text floor, at every size measured. */
export const RENDER_RATIO_TARGET = 1.5;
const HIDDEN_SHARE_TARGET = 0.05;
const LATENCY_TARGET_MS = 16;
const THREE_TABS_TARGET = 2;

const tabsLabel = (tabs: number, hidden: number) =>
  hidden > 0 ? `${tabs} tabs, ${hidden} of them hidden` : `${tabs} visible tab${tabs === 1 ? '' : 's'}`;

export function fanOutRows(fanout: FanOutResult): Row[] {
  const rows: Row[] = [];
  for (const [key, run] of Object.entries(fanout.byTabs)) {
    const target = run.hiddenTabs > 0;
    rows.push({
      id: `fanout-latency-${key}`,
      measurement: '1. Fan-out',
      figure: `batch → store applied, ${tabsLabel(run.tabs, run.hiddenTabs)}${target ? ', in the visible one' : ''}: p50 / p95`,
      result: `${ms(run.latencyP50, 1)} / ${ms(run.latencyP95, 1)}`,
      target: target ? `p95 ≤ ${LATENCY_TARGET_MS} ms` : '—',
      ...(target
        ? {
            met: run.latencyP95 <= LATENCY_TARGET_MS,
            gap: `p95 ${ms(run.latencyP95 - LATENCY_TARGET_MS)} over (${times(run.latencyP95 / LATENCY_TARGET_MS)} the target)`,
          }
        : {}),
    });
  }
  const withHidden = Object.entries(fanout.byTabs).find(([, run]) => run.hiddenTabs > 0);
  if (withHidden) {
    const [key, run] = withHidden;
    rows.push({
      id: 'fanout-hidden',
      measurement: '1. Fan-out',
      figure: `${tabsLabel(run.tabs, run.hiddenTabs)}: a hidden tab's main-thread busy vs the visible tab's`,
      result: `${(run.hiddenShare * 100).toFixed(1)} % (${ms(run.hiddenTabBusyMs)} vs ${ms(run.tabBusyMs)})`,
      target: `≤ ${HIDDEN_SHARE_TARGET * 100} %`,
      met: run.hiddenShare <= HIDDEN_SHARE_TARGET,
      gap: `${times(run.hiddenShare / HIDDEN_SHARE_TARGET)} the target`,
    });
    const allCaughtUp = fanout.runs[key].every((entry) => entry.caughtUp);
    rows.push({
      id: 'fanout-catch-up',
      measurement: '1. Fan-out',
      figure: 'a hidden tab shown after the reply: main-thread time to catch up; same DOM as the visible tab',
      result: `${ms(run.catchUpMs)}; ${allCaughtUp ? 'same DOM in every run' : 'DIFFERENT DOM'}`,
      target: 'one render, the same DOM',
      met: allCaughtUp,
      gap: 'the DOM differs from the visible tab’s',
    });
  }
  const one = fanout.byTabs['1'];
  const three = fanout.byTabs['3'];
  if (one && three) {
    const ratio = three.browserCpuMs / one.browserCpuMs;
    rows.push({
      id: 'fanout-three-tabs',
      measurement: '1. Fan-out',
      figure: 'whole-browser CPU for one reply: 3 visible tabs vs 1',
      result: `${times(ratio, 2)} (${ms(three.browserCpuMs)} vs ${ms(one.browserCpuMs)}; tabs' main threads ${ms(three.visibleBusyMs)} vs ${ms(one.visibleBusyMs)})`,
      target: `< ${THREE_TABS_TARGET}×`,
      met: ratio < THREE_TABS_TARGET,
      gap: `${times(ratio / THREE_TABS_TARGET, 2)} the target`,
    });
  }
  const eight = fanout.byTabs['8'] ?? Object.values(fanout.byTabs).at(-1)!;
  rows.push({
    id: 'fanout-bytes',
    measurement: '1. Fan-out',
    figure: `port bytes per tab per reply / reply length (${count(eight.replyChars)} chars)`,
    result: `${times(eight.bytesRatio, 2)} (${kB(eight.bytesToTab)} to the tab + ${kB(eight.bytesFromTab)} back)`,
    target: '≤ 1.5×',
    met: eight.bytesRatio <= 1.5,
    gap: `${times(eight.bytesRatio / 1.5)} the target`,
  });
  return rows;
}

export function renderRows(render: RenderResult): Row[] {
  const rows: Row[] = [];
  for (const [tokens, run] of Object.entries(render.bySize)) {
    const size = `${count(Number(tokens))}-token markdown`;
    rows.push({
      id: `render-ratio-${tokens}`,
      measurement: '2. Render',
      figure: `${size}: main-thread busy vs plain-text floor`,
      result: `${times(run.ratio, 2)} (${ms(run.app.busy.task)} vs ${ms(run.floor.busy.task)})`,
      target: `≤ ${times(RENDER_RATIO_TARGET)} the floor`,
      met: run.ratio <= RENDER_RATIO_TARGET,
      gap: `${times(run.ratio / RENDER_RATIO_TARGET, 2)} the target`,
    });
    rows.push({
      id: `render-cpu-${tokens}`,
      measurement: '2. Render',
      figure: `${size}: CPU time vs the floor's — main thread; whole browser (every process, the worker's included)`,
      result:
        `${times(run.cpuRatio, 2)} (${ms(run.app.cpu.mainThread)} vs ${ms(run.floor.cpu.mainThread)}); ` +
        `${times(run.browserRatio, 2)} (${ms(run.app.cpu.browser)} vs ${ms(run.floor.cpu.browser)})`,
      target: '—',
    });
    rows.push({
      id: `render-longtasks-${tokens}`,
      measurement: '2. Render',
      figure: `${size}: long tasks (count, total, longest)`,
      result: `${count(run.app.longTaskCount)}, ${ms(run.app.longTaskTotalMs)}, ${ms(run.app.longTaskMaxMs)}`,
      target: 'no long task over 50 ms',
      met: run.app.longTaskCount === 0,
      gap: `${count(run.app.longTaskCount)} long tasks, longest ${ms(run.app.longTaskMaxMs)}`,
    });
    rows.push({
      id: `render-lag-${tokens}`,
      measurement: '2. Render',
      figure: `${size}: final paint after the last token`,
      result: ms(run.finalPaintLagMs),
      target: '—',
    });
  }
  return rows;
}
