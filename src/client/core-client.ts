import * as Comlink from 'comlink';
import { Observable, Subject, share } from 'rxjs';
import type { ChatCoreApi, CoreEvent, ErrorInfo } from '../shared/protocol';
import { PROTOCOL_VERSION } from '../shared/protocol';

/** The core's methods a tab calls; connecting (attach, subscribe, detach) is the client's. */
export type CoreApi = Omit<ChatCoreApi, 'attach' | 'subscribe' | 'detach'>;

/** The core as a tab uses it: typed methods and one typed event stream. */
export interface CoreClient {
  /** Every method of the core; each call crosses the port. */
  readonly api: CoreApi;
  /** Every event the core sends this tab. */
  readonly events$: Observable<CoreEvent>;
  readonly tabId: string;
  /** The build of the core this tab talks to. */
  readonly coreBuildId: string;
  /** Detach and stop listening (the tab is going away or reconnecting). */
  close(): Promise<void>;
}

export interface AttachIdentity {
  tabId: string;
  lockName: string;
  buildId: string;
}

/** Thrown when the core refuses the tab (another protocol version). */
export class CoreAttachError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = 'CoreAttachError';
  }
}

/**
 * Attach to a core listening on `endpoint` (a SharedWorker's port, a Worker, or a
 * MessageChannel port in tests) and subscribe to its events.
 */
export async function makeCoreClient(endpoint: Comlink.Endpoint, identity: AttachIdentity): Promise<CoreClient> {
  const api = Comlink.wrap<ChatCoreApi>(endpoint);
  const attached = await api.attach({ ...identity, protocolVersion: PROTOCOL_VERSION });
  if (!attached.ok) throw new CoreAttachError(attached.error);
  const subject = new Subject<CoreEvent>();
  // Events come on a port of their own: plain posts, no Comlink envelope or reply per event.
  const channel = new MessageChannel();
  channel.port1.onmessage = (message: MessageEvent<CoreEvent>) => subject.next(message.data);
  await api.subscribe(Comlink.transfer(channel.port2, [channel.port2]));
  return {
    api,
    events$: subject.asObservable().pipe(share()),
    tabId: identity.tabId,
    coreBuildId: attached.value.buildId,
    async close() {
      await api.detach().catch(() => undefined);
      channel.port1.close();
      subject.complete();
      api[Comlink.releaseProxy]();
    },
  };
}
