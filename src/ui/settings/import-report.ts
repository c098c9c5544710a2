/** An import's report in words: what was added, what was already here, what was left out and why. */
import type { ImportFormat, ImportPhase, ImportReport } from '../../shared/protocol';

const FORMAT_NAMES: Record<ImportFormat, string> = {
  parley: 'a Parley export',
  legacy: 'an older Parley file',
  chatgpt: 'a ChatGPT export',
  'open-webui': 'an Open WebUI export',
};

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** The report's first sentence(s): what was added (to conversations imported before too), and what was already here. */
export function describeImport(report: ImportReport): string {
  const providers = report.format === 'parley' || report.format === 'legacy';
  const added = providers
    ? `Imported ${plural(report.conversations, 'conversation', 'conversations')}, ${plural(report.messages, 'message', 'messages')} and ${plural(report.providers, 'provider', 'providers')}.`
    : `Imported ${plural(report.conversations, 'conversation', 'conversations')} and ${plural(report.messages, 'message', 'messages')}${report.attachments ? ` (${plural(report.attachments, 'image', 'images')})` : ''} from ${FORMAT_NAMES[report.format]}.`;
  const updated = report.updated
    ? ` ${plural(report.updated, 'conversation imported before got', 'conversations imported before got')} what was added to ${report.updated === 1 ? 'it' : 'them'} since.`
    : '';
  if (report.skipped === 0) return `${added}${updated}`;
  return `${added}${updated} ${plural(report.skipped, 'record was', 'records were')} already here and left as ${report.skipped === 1 ? 'it was' : 'they were'}.`;
}

/** One line per reason something in the file was left out ("Tool calls and their results: 3"), read the same for one or many. */
export function describeNotKept(report: ImportReport): string[] {
  return report.notKept.map(
    (note) => `${note.what.charAt(0).toUpperCase()}${note.what.slice(1)}: ${note.count.toLocaleString()}`,
  );
}

/** When the writes stopped part-way: what is missing, and why. */
export function describeUnfinished(report: ImportReport): string | undefined {
  const unfinished = report.unfinished;
  if (!unfinished) return undefined;
  return `The import stopped part-way: ${plural(unfinished.conversations, 'conversation', 'conversations')} (${plural(unfinished.messages, 'message', 'messages')}) were not imported. ${unfinished.reason} Importing the same file again adds only what is missing.`;
}

/** The progress bar's label. */
export function describeProgress(phase: ImportPhase, done: number, total: number): string {
  if (phase === 'reading') return `Reading the file… ${total ? Math.floor((done / total) * 100) : 0}%`;
  if (phase === 'checking') return 'Checking every conversation…';
  return `Writing conversations… ${done.toLocaleString()} of ${total.toLocaleString()}`;
}
