import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { checkMessageAttachments, classifyAttachment, SNIFF_BYTES, type AttachmentKind } from '../../shared/attachments';

/** A file chosen for the next message, checked, with a preview for images. */
export interface PendingFile {
  file: File;
  kind: AttachmentKind;
  /** The type it will be sent as (from its bytes for images). */
  mime: string;
  /** An object URL for an image's thumbnail; revoked when the file is removed or sent. */
  previewUrl?: string;
}

/** The files waiting in the composer, however they came (picker, paste, drop). */
export interface PendingFiles {
  files: Accessor<PendingFile[]>;
  /** Why the last file could not be added, in words; cleared by the next successful add. */
  error: Accessor<string | undefined>;
  add(files: Iterable<File>): Promise<void>;
  remove(index: number): void;
  /** Forget these (sent); files added meanwhile stay. */
  forget(sent: readonly File[]): void;
  /** Forget them all (on leaving the conversation). */
  clear(): void;
}

/**
 * A reactive primitive (needs an owner): files are checked the way the core will check them, so a
 * person hears "can't send this kind of file" when they attach it, not after pressing Send.
 */
export function createPendingFiles(): PendingFiles {
  const [files, setFiles] = createSignal<PendingFile[]>([]);
  const [error, setError] = createSignal<string>();
  const release = (pending: PendingFile[]) =>
    pending.forEach((entry) => entry.previewUrl && URL.revokeObjectURL(entry.previewUrl));
  onCleanup(() => release(files()));

  return {
    files,
    error,
    async add(incoming) {
      const accepted: PendingFile[] = [];
      let problem: string | undefined;
      for (const file of incoming) {
        const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
        const verdict = classifyAttachment(file.name || 'pasted file', file.type, file.size, head);
        if (!verdict.ok) {
          problem = verdict.reason;
          continue;
        }
        accepted.push({
          file,
          kind: verdict.kind,
          mime: verdict.mime,
          previewUrl: verdict.kind === 'image' ? URL.createObjectURL(file) : undefined,
        });
      }
      const next = [...files(), ...accepted];
      const tooMuch = checkMessageAttachments(next.map((entry) => entry.file));
      if (tooMuch) {
        release(accepted);
        setError(tooMuch);
        return;
      }
      setFiles(next);
      setError(problem);
    },
    remove(index) {
      const current = files();
      release(current.slice(index, index + 1));
      setFiles([...current.slice(0, index), ...current.slice(index + 1)]);
      setError(undefined);
    },
    forget(sent) {
      const gone = new Set(sent);
      release(files().filter((entry) => gone.has(entry.file)));
      setFiles(files().filter((entry) => !gone.has(entry.file)));
    },
    clear() {
      release(files());
      setFiles([]);
      setError(undefined);
    },
  };
}
