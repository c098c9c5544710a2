/**
 * Limits an import file must stay within. Both sides use them: the tab refuses an oversized file
 * before reading it, and the core checks again because it trusts nothing a tab sends.
 *
 * Each is far above what a real history reaches (a 1 MB reply, 5,000-message conversations)
 * and far below what would exhaust the worker's memory or freeze it.
 */
export const IMPORT_LIMITS = {
  /** The whole file, in characters (≈ bytes for mostly-ASCII JSON). */
  fileCharacters: 200 * 1024 * 1024,
  /** All files chosen at once, in bytes: a ChatGPT zip also carries every image ever uploaded. */
  fileBytes: 2 * 1024 * 1024 * 1024,
  conversations: 100_000,
  messages: 1_000_000,
  providers: 1_000,
  models: 200_000,
  /** Nesting of objects and arrays; a Parley export is five deep. */
  depth: 32,
  /** Message content, reasoning, a system prompt. */
  longText: 10_000_000,
  /** Titles, names, descriptions, error messages. */
  mediumText: 100_000,
  /** Ids, model ids, base URLs, keys. */
  shortText: 4_096,
} as const;

/** The file format an export writes and an import reads first. */
export const EXPORT_FORMAT = 'parley-export';
/**
 * 2: messages carry `parentId` and conversations `activeLeafId` (trees).
 * 3: attachments, embedded as base64 beside the messages that list them.
 * Every earlier version still imports.
 */
export const EXPORT_VERSION = 3;
