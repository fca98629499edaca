// A closed-loop HTTP/1.1 load generator on raw keep-alive sockets: each connection sends the same pre-built request
// (or the next of a list of them, in turn across connections), reads the whole answer (Content-Length or chunked), and
// sends the next. No pipelining. Latency = request written
// to last body byte read. Runs in its own process so it never shares an event loop with the server it measures.
// <- run { port, request (Buffer) or requests (Buffer[]), connections, warmupMs, durationMs }
// -> result { requests, requestsPerSecond, bytesPerSecond, statuses, errors, reconnects, latencyMs: Summary }
import net from 'node:net';
import { summarize } from '../lib/percentiles.js';
import { onParentMessage, tellParent } from '../lib/ts-child.js';

export interface LoadSpec {
  port: number;
  /** One request sent again and again, or a list sent in turn (e.g. each signed differently). */
  request: Uint8Array | Uint8Array[];
  connections: number;
  warmupMs: number;
  durationMs: number;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

class Samples {
  private data = new Float64Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

function runLoad(spec: LoadSpec): Promise<Record<string, unknown>> {
  const requests = (Array.isArray(spec.request) ? spec.request : [spec.request]).map((r) => Buffer.from(r));
  let nextRequest = 0;
  const latencies = new Samples();
  const statuses: Record<string, number> = {};
  let errors = 0;
  let reconnects = 0;
  let bodyBytes = 0;
  let measuring = false;
  let stopped = false;
  let measureStart = 0;

  const openConnection = (): void => {
    if (stopped) return;
    const socket = net.connect({ host: '127.0.0.1', port: spec.port, noDelay: true });
    let head: Buffer = Buffer.alloc(0);
    let state: 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-end' = 'head';
    let remaining = 0;
    let status = 0;
    let sentAt = 0;
    let lineBuf: Buffer = Buffer.alloc(0);

    const send = () => {
      if (stopped) return void socket.end();
      state = 'head';
      sentAt = performance.now();
      socket.write(requests[nextRequest++ % requests.length]!);
    };
    const complete = () => {
      if (measuring) {
        latencies.push(performance.now() - sentAt);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      send();
    };

    socket.on('connect', send);
    socket.on('data', (buf: Buffer) => {
      let off = 0;
      while (off < buf.length) {
        if (state === 'head') {
          const data = head.length ? Buffer.concat([head, buf.subarray(off)]) : buf.subarray(off);
          const end = data.indexOf(CRLFCRLF);
          if (end < 0) {
            head = Buffer.from(data);
            return;
          }
          const text = data.toString('latin1', 0, end);
          status = Number(text.slice(9, 12));
          off += end + 4 - head.length;
          head = Buffer.alloc(0);
          const lower = text.toLowerCase();
          if (/\r\ntransfer-encoding:\s*chunked/.test(lower)) {
            state = 'chunk-size';
            lineBuf = Buffer.alloc(0);
          } else {
            remaining = Number(/\r\ncontent-length:\s*(\d+)/.exec(lower)?.[1] ?? 0);
            state = 'body';
            if (remaining === 0) complete();
          }
        } else if (state === 'body' || state === 'chunk-data' || state === 'chunk-end') {
          const take = Math.min(remaining, buf.length - off);
          remaining -= take;
          off += take;
          if (measuring) bodyBytes += take;
          if (remaining > 0) return;
          if (state === 'body') complete();
          else if (state === 'chunk-data') {
            state = 'chunk-size';
            lineBuf = Buffer.alloc(0);
          } else complete();
        } else {
          // chunk-size line
          const data = lineBuf.length ? Buffer.concat([lineBuf, buf.subarray(off)]) : buf.subarray(off);
          const eol = data.indexOf(CRLF);
          if (eol < 0) {
            lineBuf = Buffer.from(data);
            return;
          }
          const size = parseInt(data.toString('latin1', 0, eol), 16);
          off += eol + 2 - lineBuf.length;
          lineBuf = Buffer.alloc(0);
          if (size === 0) {
            state = 'chunk-end';
            remaining = 2; // the CRLF after the last chunk (we send no trailers, nor do our servers)
          } else {
            state = 'chunk-data';
            remaining = size + 2;
          }
        }
      }
    });
    socket.on('error', () => {
      if (measuring) errors++;
    });
    socket.on('close', () => {
      if (stopped) return;
      if (measuring) reconnects++;
      setImmediate(openConnection);
    });
  };

  return new Promise((resolve) => {
    for (let i = 0; i < spec.connections; i++) openConnection();
    setTimeout(() => {
      measuring = true;
      measureStart = performance.now();
      setTimeout(() => {
        measuring = false;
        stopped = true;
        const seconds = (performance.now() - measureStart) / 1000;
        const requests = latencies.length;
        resolve({
          requests,
          seconds,
          requestsPerSecond: requests / seconds,
          bytesPerSecond: bodyBytes / seconds,
          statuses,
          errors,
          reconnects,
          latencyMs: summarize(latencies.view()),
        });
      }, spec.durationMs);
    }, spec.warmupMs);
  });
}

onParentMessage(async (m) => {
  if (m.type === 'run') {
    const result = await runLoad(m as unknown as LoadSpec);
    tellParent({ type: 'result', ...result });
  }
});
tellParent({ type: 'ready' });
