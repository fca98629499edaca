// What must keep working while the server is abused: one real-time publisher and a steady trickle of HTTP reads.
import http from 'node:http';
import { startPublisher, type Publisher } from '../../src/push/index.js';
import { ossRequest, type OssEndpoint } from '../lib/oss-client.js';

export interface LegitTraffic {
  /** Failures so far (a dropped publisher, a failed or slow HTTP read), with what happened. */
  failures: string[];
  requests: () => number;
  publisherStats: () => { tagsSent: number; bytesSent: number };
  stop(): Promise<void>;
}

function health(port: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/-/health', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** GET /-/health within `timeoutMs`; throws otherwise. */
export async function checkHealth(endpoint: OssEndpoint, timeoutMs = 2000): Promise<void> {
  const status = await health(endpoint.httpPort, timeoutMs);
  if (status !== 200) throw new Error(`/-/health answered ${status}`);
}

export async function startLegitTraffic(
  endpoint: OssEndpoint,
  opts: { publishUrl: string; flv: Buffer; bucket: string; objectKey: string; objectBytes: number; channel: string; everyMs: number },
): Promise<LegitTraffic> {
  const failures: string[] = [];
  let requests = 0;
  let stopping = false;
  const publisher: Publisher = startPublisher({ url: opts.publishUrl, flv: opts.flv, speed: 1, loop: true });
  await publisher.started;
  publisher.done.then(
    () => !stopping && failures.push('the legitimate publisher ended early'),
    (err: unknown) => failures.push(`the legitimate publisher failed: ${err instanceof Error ? err.message : String(err)}`),
  );

  const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
    Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))]);
  const one = async () => {
    const checks: Array<Promise<void>> = [
      withTimeout(checkHealth(endpoint, 5000), 5000, 'health'),
      withTimeout(ossRequest(endpoint, { method: 'GET', bucket: opts.bucket, key: opts.objectKey }), 5000, 'GetObject').then((r) => {
        if (r.status !== 200 || r.body.length !== opts.objectBytes) throw new Error(`GetObject -> ${r.status}, ${r.body.length} bytes`);
      }),
      withTimeout(
        ossRequest(endpoint, {
          method: 'GET',
          bucket: opts.bucket,
          key: opts.channel,
          query: [
            ['live', ''],
            ['comp', 'stat'],
          ],
        }),
        5000,
        'GetLiveChannelStat',
      ).then((r) => {
        if (r.status !== 200 || !r.body.includes('<Status>Live</Status>'))
          throw new Error(`GetLiveChannelStat -> ${r.status}: ${r.body.toString().slice(0, 200)}`);
      }),
    ];
    for (const result of await Promise.allSettled(checks)) {
      requests++;
      if (result.status === 'rejected')
        failures.push(`legitimate request failed: ${String((result.reason as Error).message ?? result.reason)}`);
    }
  };
  const loop = (async () => {
    while (!stopping) {
      const t0 = performance.now();
      await one();
      await new Promise((r) => setTimeout(r, Math.max(0, opts.everyMs - (performance.now() - t0))));
    }
  })();

  return {
    failures,
    requests: () => requests,
    publisherStats: () => publisher.stats(),
    async stop() {
      stopping = true;
      await loop;
      await publisher.stop().catch(() => {});
    },
  };
}
