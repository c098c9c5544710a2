/**
 * The prose of bench/README.md: how each figure is measured, what the bench changed in the
 * app, and, for each target a run can miss, why (shown only when it is missed). The reasons
 * come from profiles and traces taken while writing the bench (bench/.tmp scripts, not kept);
 * re-check them when the figures move.
 */
import type { BenchResults } from './report';
import { ms, times } from './format';

export const METHOD = `\`npm run bench\` is \`npm run build\` (dist/, whose sizes are measured) and \`tsx bench/run.ts\`,
which builds the app again with \`PARLEY_BENCH=1\` into dist-bench/, serves it with a tiny static
server with the SPA fallback (bench/lib/servers.ts), starts the mock provider of the tests
(tests/fixtures/mock-llm.ts) in-process, both on ephemeral ports, and drives headless Chromium with
the flags of playwright.config.ts. Every run uses a fresh browser context (fresh storage, its own
SharedWorker); service workers are blocked (precaching would add background work to every timing).

**Hooks.** \`PARLEY_BENCH=1\` sets the Vite define \`__BENCH__\`; in a normal build every hook is a
dead \`if (false)\` branch and is removed (dist/ contains none of them). With it: the core stamps
each \`message-delta\` with \`sentAt\` (wall clock, \`timeOrigin + now()\`); the tab's store records
when each delta arrived and when it had been applied (Solid updates the DOM inside the store
write, so "applied" includes the DOM update), and the first frame after it (rAF, then the next
task) (src/ui/state/bench-probe.ts); the tab exposes the core's API on \`window.__parleyBench\`
so the bench sets up providers and conversations without clicking. Injected through CDP at run
time, no app code: counters in the SharedWorker for the bytes it posts on its ports (JSON length
of the posted data, without the bench-only \`sentAt\`) and for every read-write IndexedDB
transaction (stores, created, committed) (bench/lib/worker-probe.ts). Playwright has no handle on
a SharedWorker and cannot address a flat CDP child session, so the bench attaches through the
browser session with \`flatten: false\` and \`Target.sendMessageToTarget\` (bench/lib/browser.ts).

1. **Fan-out** (bench/fanout.ts): \`mock-slow:tokens=4000:delay=1\`, about 800 tokens/s — far
   above a real provider, so each 16 ms batch carries ~15 tokens. 1, 3 or 8 tabs open
   \`/c/<id>\`, one message is sent; latency = applied − sentAt for every batch in every tab,
   pooled per run; "port" = sentAt → arrival at the store, "apply" = arrival → applied. Bytes:
   everything the worker posts during the reply ÷ tabs, plus what each tab posts back (Comlink
   acknowledges every listener call), ÷ the reply's characters (ASCII, so characters = bytes).
2. **Render** (bench/render.ts): \`mock-markdown:tokens=2000|8000:delay=1\` (the mock's markdown
   tour repeated: headings, lists, tables, TypeScript and Python code). CDP
   \`Performance.getMetrics\` from just before the send to two frames after the reply shows
   \`complete\`: TaskDuration (every main-thread task), ScriptDuration, LayoutDuration,
   RecalcStyleDuration. Long tasks from \`PerformanceObserver('longtask')\`. The floor,
   bench/pages/floor.html, runs right after in the same context: a worker fetches the same
   stream from the mock, parses it and posts one batch per 16 ms like the core; the page appends
   it as plain text (a new block at each blank line) and keeps it scrolled to the end. Final
   paint lag: the mock's response finished (just after the last token, Node's clock) → the first
   frame after the tab applied the last delta.
3. **History** (bench/history.ts): a persistent profile; the app starts once in it (its own
   upgrade code creates the database), then bench/pages/blank.html — same origin, no core —
   writes 1,000 conversations and 50,000 messages straight into IndexedDB with the real record
   shapes (bench/lib/seed-history.ts; replies mix prose, lists, code and tables; the
   2,000-message conversation is second in the list). Each run relaunches Chromium on the profile
   (new browser, new core, warm HTTP cache). Paint times come from the Element Timing API: a
   MutationObserver marks the element with \`elementtiming\` as soon as it is inserted and the
   browser reports the frame that painted it. Cold start: navigation → the first conversation row
   painted. Open: click on the 2,000-message row → its last message painted. Scroll: a rAF loop
   moves the list half a screen per frame up to the first message (earlier messages load as the
   reader nears the top, as they do for a person) and back down to the last; a frame is dropped
   when its rAF delta exceeds 25 ms (1.5 × 16.7 ms).
4. **Storage** (bench/storage.ts): \`mock-slow:tokens=4000:delay=1\`; every read-write
   transaction of the core from the send to the saved reply. Checkpoints are the transactions on
   \`messages\` alone; their bound is ceil(stream time / 250 ms) + 1. Save: the final transaction
   (message and conversation totals), created → committed.
5. **Size** (bench/size.ts): dist/ of \`npm run build\`, gzip -9 per file. First load: index.html's
   module scripts and modulepreloads and everything they import statically; "imported at start"
   adds what the page fetched (resource timing) within a second of its first render on a fresh
   profile. Worker: the SharedWorker chunk and its static imports. Lazy: every other JS chunk (the
   dedicated-worker fallback included). Precache: the \`url\`s of dist/sw.js's manifest.
6. **Memory** (bench/memory.ts): \`Runtime.getHeapUsage\` after \`HeapProfiler.collectGarbage\`.
   Tab: one conversation, ten sends of \`mock-markdown:tokens=4000:delay=0\`, every reply on
   screen; the hooks' own records are cleared first. Worker: 20 conversations opened by one tab,
   each sent \`mock-slow:tokens=2000:delay=2\`; measured 1.5 s in (Chromium runs 6 HTTP/1.1
   streams per host at once, the rest wait for a connection) and after every reply ended (the
   sessions still open).

**Caveats.** Two shared cores, software rendering, other test suites running beside the bench:
a figure moves by 10–30 % between runs (each run's figures are in results.json). Headless
Chromium shows every page: 8 tabs are 8 visible tabs rendering every frame, where a desktop
browser would render only the one in front. Worker and tab stamps are both wall clock
(\`timeOrigin + now()\`); the mock's times are Node's clock on the same machine (1 ms steps).`;

export const APP_CHANGES = `- **Measurement hooks**, dead code in a normal build: the \`__BENCH__\` define (vite.config.ts;
  \`false\` in vitest.config.ts; declared in src/env.d.ts, which tsconfig.node.json now includes),
  the \`sentAt\` stamp in src/worker/session/sessions.ts, src/ui/state/bench-probe.ts called
  from src/ui/state/app-store.ts, and the API handed to the bench in src/main.tsx.
- **Mock**: \`mock-markdown:tokens=N\` streams N tokens of markdown (the tour repeated) instead of
  lorem ipsum (tests/fixtures/mock-llm-behaviours.ts, with a unit test).
- **src/ui/markdown/Markdown.tsx**: a block's "am I the tail" is a memo. It was a plain function of
  \`blocks()\`, which changes on every delta, so every block re-ran its cursor and highlight
  effects (a \`querySelectorAll\` each) on every delta: O(blocks) per delta, quadratic over a
  reply. Streaming 8,000 markdown tokens: script 2.4 s → 0.8 s; fan-out p95 at 8 tabs 331 → 113 ms,
  at 3 tabs 13 → 6 ms.
- **src/ui/chat/MessageList.tsx**: scrolling up a long conversation adds 20 earlier messages per
  step instead of 120 (the button still shows 120). Rendering 120 took 70–100 ms and dropped a frame
  at almost every step (16 of 19 dropped frames, longest 100 ms); now 0–3 dropped frames per run
  fall on a step, the longest frame is 33–67 ms, and what drops is mostly other processes on the
  two cores.
- **src/ui/chat/MessageItem.tsx, src/shared/pricing.ts**: one \`Intl\` formatter each instead of
  one per call (\`toLocaleTimeString\` alone was ~30 ms of a 48-message render).
- **src/worker/storage/repository.ts**: \`listConversations\` reads all rows in one \`getAll\`
  instead of a cursor step per row (cold, 1,000 rows: ~50 → ~25 ms).`;

type Explain = (results: BenchResults) => string;

/** Keyed by summary row id (without a trailing tab count or size). */
export const ANALYSIS: Record<string, Explain> = {
  'fanout-latency': ({ fanout }) => {
    const one = fanout?.byTabs['1'];
    const eight = fanout?.byTabs['8'];
    if (!one || !eight) return '';
    return `**Fan-out at 8 tabs (p95 ${ms(eight.latencyP95)}).** The machine runs out of CPU, not the design out of
speed: almost all of the latency is the batch waiting for a busy tab (port p95 ${ms(eight.transportP95)}, apply p95
${ms(eight.applyP95, 1)}). One tab spends ${ms(one.tabBusyMs)} of main-thread time over a ${ms(one.replyMs)} reply
(${((one.tabBusyMs / one.replyMs) * 100).toFixed(0)} % of a core) applying ~60 batches a second and painting each frame; eight
visible tabs ask for about ${((8 * one.tabBusyMs) / one.replyMs).toFixed(1)} cores' worth of main threads, plus their
raster threads, the worker and the mock, on 2 cores. Even the plain-text floor page costs ~15 % of a core per visible
tab at this batch rate (see Render), so 8 visible tabs cannot all stay under one frame here whatever the app does. At 1 and 3 tabs the p95 is well inside
a frame. In a desktop browser 7 of 8 tabs would be in the background and not paint at all; headless Chromium cannot
hide a page (minimised windows and background targets stay \`visible\`), so the bench cannot show that case. Cutting
the per-tab cost further is the lever: the Markdown fix below took this p95 from ~330 ms to 100–150 ms.`;
  },
  'fanout-bytes': ({ fanout }) => {
    const run = fanout?.byTabs['8'] ?? fanout?.byTabs['1'];
    if (!run) return '';
    const perBatch = (run.bytesToTab + run.bytesFromTab - run.replyChars) / run.batchesPerTab;
    const textPerBatch = run.replyChars / run.batchesPerTab;
    return `**Port bytes (${times(run.bytesRatio, 2)} the reply).** Linear in the reply, as designed (deltas, never the
accumulated text, which would be ~${times((run.batchesPerTab + 1) / 2, 0)}), but every batch carries a fixed cost
larger than its text: ~${perBatch.toFixed(0)} bytes of overhead per batch against ~${textPerBatch.toFixed(0)} characters
of text. Two protocol changes took this from 5.6×: events on a port of their own (no Comlink envelope or reply
per event: 5.6× → 3.6×), then \`message-end\` without the text the deltas already carried and deltas without the
conversation id. What is left is the delta's own fields: \`type\`, the message's 36-character UUID, \`seq\`.
Reaching 1.5× at this rate needs under ~${(textPerBatch / 2).toFixed(0)} bytes per batch, i.e. a cryptic delta (a
per-stream number instead of the UUID, a one-letter type), which was judged not worth the protocol's readability.
At a real provider's 30–100 tokens/s a batch holds one or two tokens (~5–10
characters), and no per-batch format stays under 1.5 × the reply; "the reply plus a small constant per batch" (or
"linear in the reply") is the target that can be held.`;
  },
  'render-ratio': ({ render }) => {
    const run = render?.bySize['8000'];
    if (!run) return '';
    const other = (page: typeof run.app) => page.busy.task - page.busy.script - page.busy.layout - page.busy.style;
    return `**Render at 8,000 tokens (${times(run.ratio)} the floor).** The app spent ${ms(run.app.busy.task)} against the floor's
${ms(run.floor.busy.task)}: script ${ms(run.app.busy.script)} (floor ${ms(run.floor.busy.script)}), layout ${ms(run.app.busy.layout)}
(${ms(run.floor.busy.layout)}), style ${ms(run.app.busy.style)} (${ms(run.floor.busy.style)}) and ${ms(other(run.app))} of other task time
(${ms(other(run.floor))}): a trace shows that as paint, pre-paint and compositing inputs, which grow with the richer DOM
(every code block and table is its own scroll container, each a paint layer the lifecycle walks every frame while the
view follows the reply), and HTML parsing — each batch's tail block is parsed twice, once by DOMPurify and once by
\`innerHTML\`. The quadratic part is gone (see the Markdown change); the rest is per frame and per batch. Next levers,
none of them one-line: sanitise into a DocumentFragment (DOMPurify \`RETURN_DOM_FRAGMENT\`) and insert it, instead of
parsing HTML twice; render the streaming tail as plain text and turn it into markdown when the block closes; keep code
blocks and tables out of the layer tree until they are finished. \`content-visibility: auto\` on blocks was tried and
did not help. The ratio moves by ±0.4 between runs on this machine.`;
  },
  'render-longtasks': () =>
    `**Long tasks while rendering.** A long task shows up in some runs and not others (55–71 ms when it does); profiles
of the same stream show no task of the app itself near 50 ms, so these are other processes on the two cores
stretching one task. Re-run on a quiet machine before acting on it.`,
  'history-list': ({ history }) => {
    const run = history?.median;
    if (!run) return '';
    return `**Cold start to the list (${ms(run.listPaintedMs)}).** No single step is slow; seven run one after another. From
an instrumented build (stamps in the page and the worker, 7 cold starts, medians since navigation): the app's 171 kB of
JS is evaluated at ~130 ms; the SharedWorker exists at ~185 ms (it is only created once that code has run) and has
evaluated its 224 kB at ~215 ms; the database is open at ~240 ms; 1,000 conversations are read by ~275 ms (one
\`getAll\` now) and have crossed the port, 267 kB, by ~315 ms; the store and the first render — 1,000 records, 100
sidebar rows, and the newest conversation's view, which \`/\` opens in the same task — take until ~415 ms; the list is
painted at ~450 ms (an instrumented build on a busy afternoon; these move by ±50 ms between runs, as the bench's
own figure does). Measured candidates: creating the SharedWorker from a tiny entry
chunk before the UI's code loads (main.tsx → dynamic import of the UI) saved ~50 ms (median of 6 cold starts each, A/B), not enough alone
and it reshapes the entry bundle, so it is left for the lead; sending the first 100 conversations before the rest;
loading the openai SDK in the worker lazily; mounting the opened conversation a frame after the list. Together they
could reach 300 ms on this machine; each alone is 30–60 ms.`;
  },
  'history-open': ({ history }) =>
    `**Opening the 2,000-message conversation (${ms(history?.median.openBigMs ?? Number.NaN)}).** 60 messages (the window the
list renders first) are read, sent and rendered with markdown in one task; the figure sits near the target and moves by
±15 ms between runs. Rendering fewer messages first (the ones on screen, ~10) would halve it.`,
  'history-scroll': ({ history }) => {
    const scroll = history?.median.scroll;
    if (!scroll) return '';
    return `**Scrolling the 2,000 messages (${scroll.dropped} dropped of ${scroll.frames}, longest ${ms(scroll.worstFrameMs)}).**
${scroll.droppedAtLoads} of the dropped frames fall on the ${scroll.loadFrames} frames that added earlier messages; the others are
garbage collection or another process taking the core.`;
  },
};
