// The floor's stand-in for the core: fetch the stream, parse SSE, coalesce into one batch per
// 16 ms (the core's batchIntervalMs), post plain text to the page.
self.onmessage = async (event) => {
  const { url, model } = event.data;
  try {
    const response = await fetch(`${url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
      body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'Show me markdown' }] }),
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let pending = '';
    let timer;
    const flush = () => {
      timer = undefined;
      if (pending) self.postMessage({ text: pending });
      pending = '';
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
        const text = JSON.parse(line.slice(6)).choices?.[0]?.delta?.content;
        if (text) {
          pending += text;
          timer ??= setTimeout(flush, 16);
        }
      }
    }
    clearTimeout(timer);
    flush();
    self.postMessage({ done: true });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
