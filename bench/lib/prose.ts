/**
 * The fixed prose of bench/README.md: how each figure is measured, and what the bench's findings
 * changed in the app.
 */

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
   above a real provider, so each 16 ms batch carries ~15 tokens. 1, 3 or 8 visible tabs, and 8
   tabs of which 7 are hidden, open \`/c/<id>\`; the first tab sends one message and is brought to
   the front (headless Chromium renders the target in front at full rate, the others less
   often). Headless cannot hide a page (minimised windows and background targets stay
   \`visible\`), so the bench hides one as the app sees it: \`document.visibilityState\` and
   \`hidden\` overridden in the page and a \`visibilitychange\` dispatched (bench/lib/visibility.ts,
   no app code). Such a page still runs frames when its DOM changes, which a hidden page would
   not. Latency = applied − sentAt for every batch in every visible tab, pooled per run; "port"
   = sentAt → arrival at the store, "apply" = arrival → applied. Tab busy: CDP TaskDuration of
   each tab over the reply. Whole-browser CPU: utime + stime from /proc of every process under the
   browser (renderers with the SharedWorker's thread, GPU, network, utilities) before and after
   the reply (bench/lib/process-cpu.ts); the reply is over when every visible tab shows it
   complete (a hidden tab shows nothing new until it is shown). Catch-up: after the reply, a
   hidden tab is made visible; its TaskDuration until two frames later, and its reply's DOM
   against the visible tab's (once highlighting is done). Bytes: everything the worker posts
   during the reply ÷ tabs, plus what each tab posts back, ÷ the reply's characters (ASCII, so
   characters = bytes).
2. **Render** (bench/render.ts): \`mock-markdown:tokens=2000|8000:delay=1\` (the mock's markdown
   tour repeated: headings, lists, tables, TypeScript and Python code). CDP
   \`Performance.getMetrics\` from just before the send to two frames after the reply shows
   \`complete\`: TaskDuration (every main-thread task), ScriptDuration, LayoutDuration,
   RecalcStyleDuration. TaskDuration is wall time: it stretches when another process takes the
   core. Beside it, CPU time from /proc over the same window: the renderers' main threads (the
   thread whose id is its process's), and the whole browser (every process, the worker's thread
   included, so work moved off the main thread still counts). Long tasks from
   \`PerformanceObserver('longtask')\`. The floor, bench/pages/floor.html, runs right after in the
   same context: a worker fetches the same stream from the mock, parses it and posts one batch
   per 16 ms like the core; the page appends it as plain text (a new block at each blank line)
   and keeps it scrolled to the end. Final paint lag: the mock's response finished (just after
   the last token, Node's clock) → the first frame after the tab applied the last delta.
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
a figure moves by 10–30 % between runs (each run's figures are in results.json); CPU times move
less than wall times. Software compositing runs CSS animations on the main thread, every frame.
Worker and tab stamps are both wall clock (\`timeOrigin + now()\`); the mock's times are Node's
clock on the same machine (1 ms steps). /proc counts in 10 ms ticks per process.`;

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
  instead of a cursor step per row (cold, 1,000 rows: ~50 → ~25 ms).

Issue 16, "streaming at the floor" (figures: CPU time of the renderer's main thread from /proc,
medians of interleaved A/B runs of the old and new bench builds on this machine):

- **Markdown, per batch** (src/ui/markdown/block-view.ts, morph.ts, text-append.ts, render.ts,
  blocks.ts): a block whose HTML only grew by text at its end (a word in a paragraph, a code
  line, a table cell: about half the batches of the bench's stream) gets that text, passed
  through DOMPurify, appended to its last text node; any other change is sanitised to nodes
  (DOMPurify \`RETURN_DOM_FRAGMENT\`: one parse, no \`innerHTML\`) and morphed in, keeping every node
  that still matches (attributes in the same order, or the element is replaced); the splitter's
  tokens of the tail are finished (inline pass) instead of lexed again; a block that settles with
  the same HTML is not touched. Measured on the way: string sanitising + \`innerHTML\`, fragments
  and DOMPurify \`IN_PLACE\` cost the same per batch in the stream (~0.2 ms a call there, 30–40 µs
  in a warm loop); what the morph and the text path save is style, layout and paint of nodes that
  did not change.
- **Markdown, per frame** (markdown.css, Markdown.tsx): blocks sit in groups of 16; every group
  and block is a paint layer (\`isolation: isolate\`), groups before the last are laid out and
  painted only near the screen (\`content-visibility: auto\`). A trace of 8,000 tokens:
  compositing-inputs update 741 → 60–90 ms (every code block and table, each a scroll container,
  was visited on every frame), layout 600 → 250 ms, cull-rect updates stay O(layers near the
  screen). Render CPU at 8,000 tokens 3140 → 2270 ms.
- **The shell while a reply streams** (MessageList.tsx, chat.css, Sidebar.tsx, sidebar.css,
  markdown.css): scroll anchoring off while the view follows the reply (an anchor search on
  every frame); the earlier-messages and sidebar observers watch only while there is something to
  load; the streaming cursor does not blink and the sidebar's pulse is shown only for replies
  running in another conversation — with software compositing each animation costs style and
  paint on every frame (~9 % of the app's main thread at 2,000 tokens). Render CPU at 8,000
  tokens 2270 → 1540 ms.
- **Hidden tabs** (src/ui/state/hidden-tab.ts, page-visibility.ts; \`setHidden\` in
  src/worker/session/tab-session.ts, tab-feed.ts): a hidden tab tells the core, which sends it no deltas (a
  reply that ends meanwhile comes whole: its text, then its end); shown again, it gets a snapshot
  of each open conversation before deltas go on, and its views wake once those are in: one
  render. Holding the deltas in the tab alone left a hidden tab at 86 % of the visible tab's
  main-thread time (receiving 280 messages costs that much); with the core's help 5–10 %, all of
  it the reply's few DOM changes (33 mutations in the whole reply); with those events held too
  until the tab is shown (its page does not change while hidden), 1 %.
- **Cold start** (src/boot.ts, src/main.tsx, vite.config.ts, src/ui/state/start-data.ts): a
  small entry creates the SharedWorker before the tab's lock is granted, attaches and asks for
  the first screen's data (the newest 100 conversations) while the UI chunk, preloaded from
  index.html with its stylesheet, is parsed and run; the rest of the list comes after that screen
  is painted; \`/\` opens the newest conversation a frame after the list; sidebar sections keyed by
  label (rows are not rebuilt when the list grows). List painted 312 → 240 ms (7 interleaved
  cold starts each).`;
