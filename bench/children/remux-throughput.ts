// FLV -> TS throughput of remuxFlvToTs on one core (this process does nothing else): warm up, then repeat until
// `seconds` have passed. argv[2]: JSON { files: string[], seconds, warmupSeconds }.
// -> result { files: [{ file, inputBytes, outputBytes, runs, seconds, cpuSeconds, inputMBps }] }
import { readFileSync } from 'node:fs';
import { remuxFlvToTs } from '../../src/media/hls/hls-segmenter.js';
import { tellParent } from '../lib/ts-child.js';

const { files, seconds, warmupSeconds } = JSON.parse(process.argv[2] ?? '{}') as {
  files: string[];
  seconds: number;
  warmupSeconds: number;
};

const results = [];
for (const file of files) {
  const flv = readFileSync(file);
  let outputBytes = 0;
  const warmUntil = performance.now() + warmupSeconds * 1000;
  while (performance.now() < warmUntil) outputBytes = remuxFlvToTs(flv).length;
  const out = remuxFlvToTs(flv);
  if (out[0] !== 0x47 || out.length % 188 !== 0) throw new Error(`${file}: output is not whole TS packets`);

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let runs = 0;
  while (performance.now() - t0 < seconds * 1000) {
    outputBytes = remuxFlvToTs(flv).length;
    runs++;
  }
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  results.push({
    file,
    inputBytes: flv.length,
    outputBytes,
    runs,
    seconds: elapsed,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    inputMBps: (flv.length * runs) / elapsed / 1e6,
  });
}
tellParent({ type: 'result', files: results });
