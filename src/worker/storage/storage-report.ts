import type { StorageReport } from '../../shared/protocol';

/** How much of the browser's quota the origin uses, and whether its storage is persistent. */
export async function storageReport(): Promise<StorageReport> {
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
  if (!storage?.estimate) return { usage: 0, quota: 0, persisted: false };
  const [estimate, persisted] = await Promise.all([storage.estimate(), storage.persisted?.() ?? false]);
  return { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted };
}
