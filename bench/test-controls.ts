// test-controls: how long the issue-13 scenarios take on the controlled clock, next to the real time they replace.
// Each scenario runs against one in-process emulator (in-memory store) and moves the emulator clock instead of waiting.
// The real-time column is NOT measured (it would take minutes): it is the floor the scenario's own parameters impose
// on a test that waits with a real clock (an Expires of 60 s cannot be passed in less than 60 s; 11 publishes one
// minute apart span 10 minutes), so the ratio is a lower bound of the speed-up.
import OSS from 'ali-oss';
import { readFileSync } from 'node:fs';
import { signRtmpUrl } from '../src/auth/rtmp-signature.js';
import { startEmulator, type Emulator } from '../src/emulator.js';
import { publishFlv, RtmpPublishError } from '../src/push/index.js';
import { FIXTURE_360P, type BenchContext } from './lib/bench-context.js';
import { median } from './lib/percentiles.js';
import { fmt, type BenchReport } from './lib/report.js';

export interface TestControlsOptions {
  repeats: number;
}

/** Bound on one run of one scenario: a hang fails the benchmark instead of stalling `npm run bench`. */
const SCENARIO_TIMEOUT_MS = 60_000;

interface Scenario {
  label: string;
  /** Seconds a real-time test must wait at least, from the scenario's parameters. */
  realFloorS: number;
  floorReason: string;
  run(emu: Emulator, bucket: string): Promise<void>;
}

const client = (emu: Emulator, bucket: string): OSS =>
  new OSS({ endpoint: emu.endpoint, accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret, bucket } as OSS.Options);

function bounded<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${SCENARIO_TIMEOUT_MS} ms`)), SCENARIO_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function scenarios(flv: Buffer): Scenario[] {
  return [
    {
      label: 'presigned GET (Expires 60 s) refused once expired',
      realFloorS: 60,
      floorReason: 'wait past the 60 s Expires',
      async run(emu, bucket) {
        const oss = client(emu, bucket);
        await oss.putBucket(bucket);
        await oss.put('k', Buffer.from('x'));
        // Path-style presigning needs a host name (ali-oss refuses an IP endpoint) and sldEnable.
        const signer = new OSS({
          endpoint: `http://localhost:${emu.httpPort}`,
          accessKeyId: emu.accessKeyId,
          accessKeySecret: emu.accessKeySecret,
          bucket,
          sldEnable: true,
        } as OSS.Options);
        const url = signer.signatureUrl('k', { expires: 60 });
        if ((await fetch(url)).status !== 200) throw new Error('presigned GET not accepted before expiry');
        emu.clock.advance('65s'); // past Expires with margin for its whole-second rounding
        const expired = await fetch(url);
        if (expired.status !== 403 || !(await expired.text()).includes('Request has expired.'))
          throw new Error(`expected 403 expired, got ${expired.status} at ${JSON.stringify(emu.clock.state())} for ${url}`);
      },
    },
    {
      label: 'signed RTMP URL (Expires 60 s) refused once expired',
      realFloorS: 60,
      floorReason: 'wait past the 60 s Expires',
      async run(emu, bucket) {
        const oss = client(emu, bucket);
        await oss.putBucket(bucket);
        await oss.putChannel('cam', {
          Status: 'enabled',
          Target: { Type: 'HLS', FragDuration: 2, FragCount: 3, PlaylistName: 'playlist.m3u8' },
        } as never);
        const expires = Math.floor(Date.now() / 1000) + 60;
        const base = `rtmp://127.0.0.1:${emu.rtmpPort}/${bucket}/live/cam`;
        const url = signRtmpUrl({
          accessKeyId: emu.accessKeyId,
          accessKeySecret: emu.accessKeySecret,
          bucket,
          channel: 'cam',
          expires,
          base,
        });
        emu.clock.advance('65s'); // past Expires with margin for its whole-second rounding
        const err = await publishFlv({ url, flv, speed: 0, durationMs: 500 }).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (!(err instanceof RtmpPublishError) || err.code !== 'NetStream.Publish.Unauthorized')
          throw new Error(`expected an expiry refusal, got ${String(err)}`);
      },
    },
    {
      label: '11 publishes 1 min apart; history keeps the 10 newest',
      realFloorS: 600,
      floorReason: '10 minutes between the 1st and the 11th publish',
      async run(emu, bucket) {
        const oss = client(emu, bucket);
        await oss.putBucket(bucket, { acl: 'public-read-write' } as never);
        await oss.putChannel('cam', {
          Status: 'enabled',
          Target: { Type: 'HLS', FragDuration: 2, FragCount: 3, PlaylistName: 'playlist.m3u8' },
        } as never);
        const t0 = emu.clock.now();
        for (let i = 0; i < 11; i++) {
          emu.clock.set(t0 + i * 60_000);
          await publishFlv({ url: `rtmp://127.0.0.1:${emu.rtmpPort}/${bucket}/live/cam`, flv, speed: 0, durationMs: 300 });
          await emu.waitForIdle(bucket, 'cam', { timeoutMs: SCENARIO_TIMEOUT_MS });
        }
        const records = (await oss.getChannelHistory('cam')).records as unknown as unknown[];
        if (records.length !== 10) throw new Error(`history has ${records.length} records, expected 10`);
      },
    },
  ];
}

export async function runTestControls(_ctx: BenchContext, opts: TestControlsOptions): Promise<BenchReport> {
  const flv = readFileSync(FIXTURE_360P);
  const emu = await startEmulator({ inMemory: true, httpPort: 0, rtmpPort: 0, logLevel: 'silent' });
  const rows: Array<Array<string | number>> = [];
  try {
    let n = 0;
    for (const s of scenarios(flv)) {
      const times: number[] = [];
      for (let r = 0; r < opts.repeats; r++) {
        const bucket = `bench-tc-${process.pid}-${n++}`;
        const t = performance.now();
        try {
          await bounded(s.run(emu, bucket), s.label);
        } finally {
          emu.clock.real();
        }
        times.push(performance.now() - t);
      }
      const controlled = median(times);
      rows.push([
        s.label,
        fmt(controlled / 1000, 2),
        `${fmt(Math.min(...times) / 1000, 2)}–${fmt(Math.max(...times) / 1000, 2)}`,
        `>= ${s.realFloorS} (${s.floorReason})`,
        `>= ${fmt((s.realFloorS * 1000) / controlled, 0)}x`,
      ]);
    }
  } finally {
    await emu.close();
  }
  return {
    name: 'test-controls',
    tables: [
      {
        title: `test-controls: controlled clock, median of ${opts.repeats} runs each (in-process emulator, in-memory store)`,
        columns: ['scenario', 'controlled s', 'min–max s', 'real-time floor s (computed, not waited)', 'speed-up'],
        rows,
      },
    ],
    checks: [],
    notes: [
      "The real-time column is computed from each scenario's parameters, not measured: it is the least a test waiting on a real clock must wait.",
      'Controlled times include bucket/channel creation over HTTP, the real RTMP handshake of the refused publish, and the 11 real publishes (300 ms of the fixture each, sent at full speed).',
    ],
  };
}
