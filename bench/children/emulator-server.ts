// The emulator in its own process, so the parent can read its CPU, RSS and descriptors from /proc.
// argv[2]: JSON { logLevel?, dataDir?, build? } (in memory unless dataDir is given; build: 'dist' runs the compiled
// dist/emulator.js, else the sources under tsx). Talks JSON over IPC:
//   -> ready { endpoint, httpPort, rtmpPort, accessKeyId, accessKeySecret }
//   <- stats { resetLoopDelay? }       -> stats { livePublishes, liveChannels, delays, memory, eventLoopDelayMs }
//   <- segments { bucket }             -> segments { tsObjects: { [channel]: count }, segmentRows: { [channel]: count } }
//   <- gc                              -> gc { memory }   (needs node --expose-gc)
//   <- close                           emulator.close(), exit
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { onParentMessage, tellParent } from '../lib/ts-child.js';

interface ServerOptions {
  logLevel?: string;
  dataDir?: string;
  build?: 'dist' | 'src';
}

const options = JSON.parse(process.argv[2] ?? '{}') as ServerOptions;
type Internals = typeof import('../../src/testing/internal.js');
// dist/emulator.js is tsc's output of the same sources (what the package runs); under tsx, src/ gets esbuild's keepNames
// transform: a __name() call wherever a named function or closure is created.
const { startInstrumentedEmulator } = (
  options.build === 'dist'
    ? await import(new URL('../../dist/emulator.js', import.meta.url).href)
    : await import('../../src/testing/internal.js')
) as Internals;
/** Delay from the closing keyframe's arrival to segment + playlist committed, ms, in commit order. */
const delays: number[] = [];

const emulator = await startInstrumentedEmulator(
  {
    inMemory: options.dataDir === undefined,
    dataDir: options.dataDir,
    host: '127.0.0.1',
    httpPort: 0,
    rtmpPort: 0,
    logLevel: options.logLevel ?? 'warn',
  },
  { ingest: { onSegmentVisible: (delayMs) => delays.push(delayMs) } },
);
const { state } = emulator;

const memory = () => process.memoryUsage();
/** How late timers fire on the emulator's event loop: a blocked loop delays every socket, not just one. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const loopDelayMs = () => ({
  p50: loopDelay.percentile(50) / 1e6,
  p99: loopDelay.percentile(99) / 1e6,
  max: loopDelay.max / 1e6,
});

onParentMessage(
  (m) => {
    if (m.type === 'stats') {
      tellParent({
        type: 'stats',
        livePublishes: state.livePublishes().length,
        liveChannels: state.livePublishes().map((p) => `${p.bucket}/${p.channel}`),
        delays,
        memory: memory(),
        eventLoopDelayMs: loopDelayMs(),
      });
      if (m.resetLoopDelay) loopDelay.reset();
    } else if (m.type === 'segments') {
      const bucket = String(m.bucket);
      const tsObjects: Record<string, number> = {};
      for (const o of state.objects(bucket)) {
        if (!o.key.endsWith('.ts')) continue;
        const channel = o.key.slice(0, o.key.indexOf('/'));
        tsObjects[channel] = (tsObjects[channel] ?? 0) + 1;
      }
      const segmentRows: Record<string, number> = {};
      for (const s of state.segments(bucket)) segmentRows[s.channel] = (segmentRows[s.channel] ?? 0) + 1;
      tellParent({ type: 'segments', tsObjects, segmentRows });
    } else if (m.type === 'gc') {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (!gc) throw new Error('gc requested but the server was not started with --expose-gc');
      gc();
      gc();
      tellParent({ type: 'gc', memory: memory() });
    }
  },
  () => emulator.close(),
);

tellParent({
  type: 'ready',
  endpoint: emulator.endpoint,
  httpPort: emulator.httpPort,
  rtmpPort: emulator.rtmpPort,
  accessKeyId: emulator.accessKeyId,
  accessKeySecret: emulator.accessKeySecret,
});
