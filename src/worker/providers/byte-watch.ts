/**
 * Every byte a provider sends, seen as it arrives. The SDK's stream iterator skips SSE comments
 * (`: keep-alive`, which some providers send while a model is queued), so a watchdog fed per
 * chunk would call a queued request stalled. The client's `fetch` is wrapped so its response
 * bodies report each piece they carry; a stream registers for its own response.
 */

type Listener = () => void;

/** Responses whose bytes someone is listening to (weak: a finished response is forgotten). */
const listeners = new WeakMap<Response, Listener>();

/** `fetch`, with each response body reporting its bytes to whoever listens to that response. */
export function watchedFetch(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (!response.body) return response;
    let watched: Response | undefined;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          if (watched) listeners.get(watched)?.();
          controller.enqueue(chunk);
        },
      }),
    );
    watched = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    return watched;
  };
}

/** Call `listener` whenever bytes of `response` arrive; returns how to stop. */
export function onBytes(response: Response, listener: Listener): () => void {
  listeners.set(response, listener);
  return () => listeners.delete(response);
}
