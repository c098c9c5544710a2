/**
 * The prose of bench/README.md for each target a run can miss: why (shown only when it is
 * missed). The reasons come from profiles and traces taken while working on the figures
 * (bench/.tmp scripts, not kept); re-check them when the figures move.
 */
import type { BenchResults } from './report';
import { ms, times } from './format';

type Explain = (results: BenchResults) => string;

/** Keyed by summary row id (without a trailing tab count or size). */
export const ANALYSIS: Record<string, Explain> = {
  'fanout-latency-8h': ({ fanout }) => {
    const run = fanout?.byTabs['8h'];
    if (!run) return '';
    return `**The visible tab of 8 (p95 ${ms(run.latencyP95)}).** Almost all of it is the batch waiting for a busy main thread
(port p95 ${ms(run.transportP95)}, apply p95 ${ms(run.applyP95, 1)}): the hidden tabs get no deltas, so look for another
process on the two cores.`;
  },
  'fanout-hidden': ({ fanout }) => {
    const run = fanout?.byTabs['8h'];
    const one = fanout?.byTabs['1'];
    if (!run || !one) return '';
    return `**A hidden tab's share (${(run.hiddenShare * 100).toFixed(1)} % of the visible tab's main-thread time).** Per delta a hidden
tab does nothing: the core sends it none (it was 86 % while the tab still received every delta and only held it —
receiving ~280 messages costs that much in a renderer), and the few other events of the reply (its two messages, the
run's status, its end) are held until the tab is shown (it was 9 % while they were applied: 33 DOM changes, and the
frames headless Chromium runs for a page it still treats as visible). What is left is receiving those events and the
page's own frames: ${ms(run.hiddenTabBusyMs)} for this 4,000-token reply, not growing with its length. The whole browser with 7
hidden tabs and one visible spent ${ms(run.browserCpuMs)} of CPU on the reply, one tab alone ${ms(one.browserCpuMs)}.`;
  },
  'fanout-three-tabs': ({ fanout }) => {
    const one = fanout?.byTabs['1'];
    const three = fanout?.byTabs['3'];
    if (!one || !three) return '';
    return `**Three visible tabs (${times(three.browserCpuMs / one.browserCpuMs, 2)} one tab's CPU).** Each visible tab renders the reply
itself (${ms(three.tabBusyMs)} of main-thread time per tab); what the tabs share is the worker, the network and the browser process.`;
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
    const small = render?.bySize['2000'];
    const large = render?.bySize['8000'];
    if (!small || !large) return '';
    const other = (page: typeof large.app) => page.busy.task - page.busy.script - page.busy.layout - page.busy.style;
    return `**Render (${times(small.ratio, 2)} the floor at 2,000 tokens, ${times(large.ratio, 2)} at 8,000; it was 2.8× and 3.1×).** Counted in
CPU time the main thread is at ${times(small.cpuRatio, 2)} and ${times(large.cpuRatio, 2)} the floor's, and the whole browser — worker, GPU process,
network included — at ${times(small.browserRatio, 2)} and ${times(large.browserRatio, 2)}: the app's stream costs the browser what the floor's
does; its main thread does more of it. TaskDuration is wall time and counts the app's tasks longer when the worker's
and the compositor's threads take the second core. At 8,000 tokens the app spent ${ms(large.app.busy.task)} against
${ms(large.floor.busy.task)}: script ${ms(large.app.busy.script)} (floor ${ms(large.floor.busy.script)}), layout ${ms(large.app.busy.layout)}
(${ms(large.floor.busy.layout)}), style ${ms(large.app.busy.style)} (${ms(large.floor.busy.style)}), other ${ms(other(large.app))}
(${ms(other(large.floor))}). What is left, from traces of both pages (2,000 tokens, ~150 batches):

- Script, ~1–1.5 ms a batch against the floor's ~0.15: the tail block lexed (marked, block and inline), turned into
  HTML and, when the HTML did not only grow by text (about half the batches: an inline code span, emphasis or a link
  completes, a list item or table row starts, a new block), sanitised and morphed; plus the store, Solid and the
  view's scroll. Per call these cost 3–6× what they cost in a warm loop (sanitising a short block ~0.2 ms against
  30–40 µs): each batch runs all of that code once, cold. DOMPurify in string, fragment and in-place modes costs the
  same here. Appending text without lexing (guessing from the raw text) was rejected: emphasis, links, autolinks,
  entities and trailing spaces change text already shown, and streamed must equal loaded.
- Paint, pre-paint, layerisation and layout, ~1.5× the floor's per frame: a frame appending one word to the finished
  reply's last paragraph costs the app's page 1.7–1.9 ms against the floor's whole frame ~1.7 ms; the chat's page has
  more to paint on screen (code blocks, tables, the sidebar) than plain text.
- Already cut: compositing inputs walked every code block and table of the reply on every frame (741 → ~70 ms in a trace
  of 8,000 tokens, with a paint layer per block and group); layout and culling visited every block (groups of 16, the
  earlier ones \`content-visibility: auto\`); two CSS animations ran on the main thread every frame; scroll anchoring
  searched for an anchor every frame; each batch's tail was parsed twice and replaced whole.

Further levers measured but not taken: throttling the tail's render below one per batch would meet this target but not
the fan-out one (each batch applied and shown within 16 ms). Moving lexing to a worker would leave the main thread
only the sanitising and the DOM, and shows in the whole-browser figure instead.`;
  },
  'render-longtasks': () =>
    `**Long tasks while rendering.** A long task shows up in some runs and not others (55–71 ms when it does); profiles
of the same stream show no task of the app itself near 50 ms, so these are other processes on the two cores
stretching one task. Re-run on a quiet machine before acting on it.`,
  'history-list': ({ history }) => {
    const run = history?.median;
    if (!run) return '';
    return `**Cold start to the list (${ms(run.listPaintedMs)}).** From a trace of a cold start (ms since navigation): the entry (12 kB
gzip) runs at ~115 and creates the SharedWorker at once; the UI chunk, preloaded, is evaluated by ~155; the worker's
thread starts only ~95 ms after it was created (Chromium starting a shared worker), evaluates its chunk by ~230, and
answers the first 100 conversations by ~300; the store and the first render take ~40 ms; the list is painted at
~240–340 depending on the machine's load (7 interleaved cold starts each: 312 → 240 ms against the build before).
The worker's start is now the longest step; loading the openai SDK in the worker only when a provider is first
called would shorten its evaluation (~8 ms of compile) but not the ~95 ms Chromium takes to start it.`;
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
