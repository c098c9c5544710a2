/** The Details section of bench/README.md: every measurement's table of medians, and each run's figure. */
import type { BenchResults } from './report';
import { count, kB, MB, ms, table, times } from './format';
import { searchDetails } from './report-search';
import { syncDetails } from './report-sync';

export function details(results: BenchResults): string {
  const parts: string[] = [];
  const { fanout, render, history, storage, size, memory } = results;
  if (fanout) {
    parts.push(`### 1. Fan-out (\`${fanout.model}\`)\n`);
    parts.push(
      table(
        [
          'tabs',
          'p50',
          'p95',
          'max',
          'worst tab p95',
          'port p95',
          'apply p95',
          'batches',
          'bytes to tab',
          'ratio',
          'tab busy / reply',
          'hidden tab busy, catch-up',
          'browser CPU (cores)',
        ],
        Object.values(fanout.byTabs).map((run) => [
          run.hiddenTabs > 0 ? `${run.tabs} (${run.hiddenTabs} hidden)` : String(run.tabs),
          ms(run.latencyP50, 1),
          ms(run.latencyP95, 1),
          ms(run.latencyMax),
          ms(run.worstTabP95, 1),
          ms(run.transportP95, 1),
          ms(run.applyP95, 1),
          count(run.batchesPerTab),
          kB(run.bytesToTab),
          times(run.bytesRatio, 2),
          `${ms(run.tabBusyMs)} / ${ms(run.replyMs)}`,
          run.hiddenTabs > 0 ? `${ms(run.hiddenTabBusyMs)}, ${ms(run.catchUpMs)}` : '—',
          `${ms(run.browserCpuMs)} (${run.browserCores.toFixed(2)})`,
        ]),
      ),
    );
    parts.push(
      `\nEach run's p95: ${Object.entries(fanout.runs)
        .map(([key, runs]) => `${key.replace('h', ' tabs with hidden')} ${runs.map((run) => ms(run.latencyP95, 1)).join(', ')}`)
        .join('; ')}.`,
    );
  }
  if (render) {
    parts.push('\n### 2. Render (`mock-markdown:tokens=N:delay=1`)\n');
    const busy = (page: { busy: { task: number; script: number; layout: number; style: number } }) =>
      `${ms(page.busy.task)} (script ${ms(page.busy.script)}, layout ${ms(page.busy.layout)}, style ${ms(page.busy.style)})`;
    const cpu = (page: { cpu: { mainThread: number; browser: number } }) => `${ms(page.cpu.mainThread)}; ${ms(page.cpu.browser)}`;
    parts.push(
      table(
        [
          'tokens',
          'stream',
          'app busy',
          'floor busy',
          'ratio',
          'CPU: main thread; browser (app)',
          'CPU (floor)',
          'ratios',
          'long tasks',
          'final paint lag',
          'shown complete',
        ],
        Object.values(render.bySize).map((run) => [
          count(run.tokens),
          ms(run.streamMs),
          busy(run.app),
          busy(run.floor),
          times(run.ratio, 2),
          cpu(run.app),
          cpu(run.floor),
          `${times(run.cpuRatio, 2)}; ${times(run.browserRatio, 2)}`,
          `${count(run.app.longTaskCount)} (${ms(run.app.longTaskTotalMs)})`,
          ms(run.finalPaintLagMs),
          ms(run.completeLagMs),
        ]),
      ),
    );
    parts.push(
      `\nEach run's ratio: ${Object.entries(render.runs)
        .map(
          ([tokens, runs]) =>
            `${count(Number(tokens))} tokens ${runs.map((run) => `${times(run.ratio, 2)} (CPU ${times(run.cpuRatio, 2)})`).join(', ')}`,
        )
        .join('; ')}.`,
    );
  }
  if (history) {
    const run = history.median;
    parts.push(
      `\n### 3. History scale\n\nSeeded ${count(history.seed.conversations)} conversations, ${count(history.seed.messages)} messages ` +
        `(${(history.seed.characters / 1e6).toFixed(1)} M characters) in ${ms(history.seed.ms)}.\n`,
    );
    parts.push(
      table(
        [
          'list painted',
          'newest conversation painted',
          'open 2,000 messages',
          'messages at first paint',
          'scroll frames',
          'dropped',
          'longest',
          'scroll time',
          'messages rendered',
        ],
        [
          [
            ms(run.listPaintedMs),
            ms(run.newestConversationPaintedMs),
            ms(run.openBigMs),
            count(run.messagesAtFirstPaint),
            count(run.scroll.frames),
            count(run.scroll.dropped),
            ms(run.scroll.worstFrameMs),
            ms(run.scroll.ms),
            count(run.scroll.messagesRendered),
          ],
        ],
      ),
    );
    parts.push(
      `\nEach run: list ${history.runs.map((entry) => ms(entry.listPaintedMs)).join(', ')}; open ${history.runs.map((entry) => ms(entry.openBigMs)).join(', ')}; ` +
        `dropped frames ${history.runs.map((entry) => `${entry.scroll.dropped} (${entry.scroll.droppedAtLoads} while adding earlier messages)`).join(', ')}.`,
    );
  }
  if (storage) {
    const run = storage.median;
    parts.push(`\n### 4. Storage (\`${storage.model}\`)\n`);
    parts.push(
      table(
        ['stream', 'writes', 'checkpoints', 'bound', 'other writes', 'final save', 'last token → saved'],
        [
          [
            ms(run.streamMs),
            count(run.writes),
            count(run.checkpoints),
            count(run.checkpointBound),
            count(run.otherWrites),
            ms(run.saveMs, 1),
            ms(run.lastTokenToSavedMs, 1),
          ],
        ],
      ),
    );
  }
  if (size) {
    parts.push('\n### 5. Size (dist/ of `npm run build`, gzip -9)\n');
    const fileRows = [
      ...size.firstLoadJs.map((file) => ['first load', file.file, kB(file.bytes), kB(file.gzip)]),
      ...size.workerJs.map((file) => ['worker', file.file, kB(file.bytes), kB(file.gzip)]),
      ...size.lazyJs.map((file) => [
        size.fetchedAtStartJs.some((fetched) => fetched.file === file.file) ? 'lazy (imported at start)' : 'lazy',
        file.file,
        kB(file.bytes),
        kB(file.gzip),
      ]),
    ];
    parts.push(table(['kind', 'file', 'size', 'gzip'], fileRows));
    parts.push(`\nFirst-load CSS: ${kB(size.firstLoadCssGzip)} gzip.`);
  }
  if (memory) {
    parts.push('\n### 6. Memory (after a forced GC)\n');
    parts.push(
      table(
        [
          'tab before',
          'tab after 10 replies',
          'reply text',
          'DOM elements',
          'worker idle',
          'worker, 20 sessions streaming',
          'worker after',
          'streams at once',
        ],
        [
          [
            MB(memory.tab.heapBefore),
            MB(memory.tab.heapAfter),
            `${count(memory.tab.replyChars)} chars`,
            count(memory.tab.domNodes),
            MB(memory.worker.heapIdle),
            MB(memory.worker.heapStreaming),
            MB(memory.worker.heapAfter),
            count(memory.worker.concurrentStreams),
          ],
        ],
      ),
    );
  }
  if (results.search) parts.push(searchDetails(results.search));
  if (results.sync) parts.push(syncDetails(results.sync));
  return parts.join('\n');
}
