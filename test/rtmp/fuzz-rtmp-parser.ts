// Run by hostile-input.test.ts in a child process (a synchronous hang cannot be timed out in-process).
// Feeds structured garbage (valid handshake, then plausible chunk headers with random fields) to the guarded
// parser and prints how many inputs ended normally vs as protocol violations.
import { createRtmpProtocol, type RtmpProtocolEvents } from '../../src/live/rtmp/rtmp-protocol.js';

const iterations = Number(process.argv[2] ?? 3000);
let seed = Number(process.argv[3] ?? 12345);
const rand = (n: number) => {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff; // deterministic, so a failure is reproducible
  return seed % n;
};

function randomChunk(): Buffer {
  const fmt = rand(4);
  const csid = 2 + rand(6);
  const header = Buffer.alloc(1 + [11, 7, 3, 0][fmt]!);
  header[0] = (fmt << 6) | csid;
  if (fmt <= 2) header.writeUIntBE(rand(5) === 0 ? 0xffffff : rand(100_000), 1, 3);
  if (fmt <= 1) {
    header.writeUIntBE(rand(3) === 0 ? rand(10) : rand(3000), 4, 3);
    header[7] = [1, 2, 3, 4, 5, 6, 8, 9, 15, 17, 18, 20, 22, rand(256)][rand(14)]!;
  }
  const ext = header.length > 1 && rand(5) === 0 ? Buffer.alloc(4, rand(256)) : Buffer.alloc(0);
  const payload = Buffer.alloc(rand(300));
  for (let i = 0; i < payload.length; i++) payload[i] = rand(4) === 0 ? 2 : rand(256);
  if (header[7] === 1 && payload.length >= 4) payload.writeUInt32BE(1 + rand(200), 0); // small chunk sizes
  return Buffer.concat([header, ext, payload]);
}

const noop: RtmpProtocolEvents = {
  output: () => {},
  connect: () => {},
  publish: () => {},
  play: () => {},
  deleteStream: () => {},
  media: () => {},
  metadata: () => {},
};

let violations = 0;
for (let i = 0; i < iterations; i++) {
  const protocol = createRtmpProtocol(noop, { maxMessageBytes: 1 << 20 });
  const input = Buffer.concat([Buffer.of(3), Buffer.alloc(3072), ...Array.from({ length: 1 + rand(40) }, randomChunk)]);
  try {
    for (let off = 0; off < input.length; ) {
      const n = 1 + rand(700);
      protocol.receive(input.subarray(off, off + n));
      off += n;
    }
  } catch {
    violations++;
  }
}
console.log(`ok ${iterations} inputs, ${violations} violations`);
