/** A minimal Server-Sent Events reader over fetch, for tests of GET /-/events. */
export interface SseMessage {
  id: string | undefined;
  data: unknown;
}

export interface SseStream {
  /** Resolves with the next `n` messages (default 1). */
  take(n?: number, timeoutMs?: number): Promise<SseMessage[]>;
  status: number;
  headers: Headers;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const queue: SseMessage[] = [];
  let wake: (() => void) | undefined;
  let buffer = '';
  if (res.ok && res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const lines = block.split('\n');
            const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim());
            if (data.length === 0) continue;
            const id = lines
              .find((l) => l.startsWith('id:'))
              ?.slice(3)
              .trim();
            queue.push({ id, data: JSON.parse(data.join('\n')) });
            wake?.();
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  return {
    status: res.status,
    headers: res.headers,
    async take(n = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`SSE: got ${queue.length} of ${n} messages within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, left);
        });
      }
      return queue.splice(0, n);
    },
    close: () => controller.abort(),
  };
}
