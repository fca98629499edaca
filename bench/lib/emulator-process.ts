// Starts bench/children/emulator-server.ts and hands back its endpoint.
import { join } from 'node:path';
import type { OssEndpoint } from './oss-client.js';
import { childScript, TsChild, type ChildMessage } from './ts-child.js';

export interface EmulatorProcess {
  child: TsChild;
  endpoint: OssEndpoint;
}

export interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface ServerStats extends ChildMessage {
  livePublishes: number;
  liveChannels: string[];
  delays: number[];
  memory: Memory;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

export interface SegmentCounts extends ChildMessage {
  tsObjects: Record<string, number>;
  segmentRows: Record<string, number>;
}

export async function startEmulatorProcess(
  workDir: string,
  label: string,
  options: { logLevel?: string; nodeFlags?: string[]; dataDir?: string } = {},
): Promise<EmulatorProcess> {
  // BENCH_SERVER_NODE_FLAGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to look inside the server under load.
  const extraFlags = process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  // BENCH_EMULATOR=dist (npm run bench's default) runs the compiled build; unset or src, the sources under tsx.
  const build = process.env.BENCH_EMULATOR === 'dist' ? 'dist' : 'src';
  const child = new TsChild(childScript('emulator-server'), {
    args: [JSON.stringify({ logLevel: options.logLevel ?? 'warn', dataDir: options.dataDir, build })],
    nodeFlags: [...(options.nodeFlags ?? []), ...extraFlags],
    logFile: join(workDir, `${label}.log`),
  });
  const ready = await child.next<ChildMessage & { httpPort: number; rtmpPort: number; accessKeyId: string; accessKeySecret: string }>(
    'ready',
    30_000,
  );
  return {
    child,
    endpoint: {
      host: '127.0.0.1',
      httpPort: ready.httpPort,
      rtmpPort: ready.rtmpPort,
      accessKeyId: ready.accessKeyId,
      accessKeySecret: ready.accessKeySecret,
    },
  };
}
