// Run by hostile-input.test.ts in a child process (a synchronous hang cannot be timed out in-process).
// Feeds a valid handshake and then mostly well-chunked messages with occasional evil ones (a header that
// shrinks a message mid-way, tiny chunk sizes, type-3 starts, stray bytes) to the guarded parser, in random
// read sizes. Prints "ok" when every input was consumed or refused; a hang or crash fails the caller.
import { createRtmpProtocol, type RtmpProtocolEvents } from '../../src/live/rtmp/rtmp-protocol.js';

const iterations = Number(process.argv[2] ?? 2000);
let seed = Number(process.argv[3] ?? 12345);
/** Deterministic, so a failing seed can be replayed. */
const rand = (n: number) => {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return seed % n;
};
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => rand(256)));

const COMMANDS = ['connect', 'createStream', 'publish', 'play', 'deleteStream', 'FCPublish', 'x'];
function payloadFor(type: number, length: number): Buffer {
  if (type !== 20 && type !== 18) return bytes(length);
  const name = Buffer.from(COMMANDS[rand(COMMANDS.length)]!);
  const head = Buffer.concat([Buffer.of(2, 0, name.length), name]);
  return Buffer.concat([head, bytes(Math.max(0, length - head.length))]).subarray(0, length);
}

function header(fmt: number, csid: number, timestamp: number, length: number, type: number): Buffer {
  const h = Buffer.alloc(1 + [11, 7, 3, 0][fmt]!);
  h[0] = (fmt << 6) | csid;
  if (fmt <= 2) h.writeUIntBE(Math.min(timestamp, 0xffffff), 1, 3);
  if (fmt <= 1) {
    h.writeUIntBE(length, 4, 3);
    h[7] = type;
  }
  return timestamp >= 0xffffff && fmt <= 2 ? Buffer.concat([h, Buffer.alloc(4, 1)]) : h;
}

/** One message split into chunks of `chunkSize`, optionally cut after `cut` bytes (evil: never finished). */
function message(fmt: number, csid: number, type: number, payload: Buffer, chunkSize: number, cut = payload.length): Buffer[] {
  const timestamp = rand(10) === 0 ? 0xffffff + rand(1000) : rand(100_000);
  const out = [header(fmt, csid, timestamp, payload.length, type)];
  for (let off = 0; off < cut; off += chunkSize) {
    if (off > 0) out.push(header(3, csid, timestamp, 0, 0));
    out.push(payload.subarray(off, Math.min(off + chunkSize, cut)));
  }
  return out;
}

function randomStream(): Buffer {
  const parts: Buffer[] = [Buffer.of(3), Buffer.alloc(3072)];
  let chunkSize = 128;
  for (let k = rand(30); k >= 0; k--) {
    const csid = 2 + rand(6);
    const roll = rand(20);
    if (roll < 2) {
      chunkSize = 1 + rand(rand(2) ? 300 : 5000);
      const size = Buffer.alloc(4);
      size.writeUInt32BE(chunkSize);
      parts.push(...message(0, 2, 1, size, 128));
    } else if (roll < 5) {
      // evil: start a long message, stop half-way, restart the chunk stream with a shorter one
      const payload = bytes(chunkSize + 1 + rand(2000));
      const chunksSent = 1 + rand(Math.floor((payload.length - 1) / chunkSize));
      parts.push(...message(0, csid, 9, payload, chunkSize, chunksSent * chunkSize));
      parts.push(...message(rand(2), csid, [8, 9, 20, 22][rand(4)]!, bytes(rand(100)), chunkSize));
    } else if (roll < 6) {
      parts.push(bytes(1 + rand(40)));
    } else {
      const type = [1, 2, 3, 4, 5, 6, 8, 9, 15, 17, 18, 20, 22][rand(13)]!;
      const length = type <= 6 ? [0, 2, 4, 5][rand(4)]! : rand(rand(2) ? 50 : 3000);
      parts.push(...message([0, 0, 0, 1, 2, 3][rand(6)]!, csid, type, payloadFor(type, length), chunkSize));
    }
  }
  return Buffer.concat(parts);
}

const noop: RtmpProtocolEvents = {
  output: () => {},
  connect: () => {},
  publish: () => {},
  play: () => {},
  deleteStream: () => {},
  media: () => {},
};

const outcomes = new Map<string, number>();
for (let i = 0; i < iterations; i++) {
  const protocol = createRtmpProtocol(noop, { maxMessageBytes: 1 << 20 });
  const input = randomStream();
  let outcome = 'consumed';
  try {
    for (let off = 0; off < input.length;) {
      const n = 1 + rand(rand(2) ? 50 : 5000);
      protocol.receive(input.subarray(off, off + n));
      off += n;
    }
  } catch (err) {
    outcome = err instanceof Error ? `${err.constructor.name}: ${err.message.replace(/\d+/g, 'N')}` : String(err);
  }
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
}
console.log(`ok ${iterations} inputs`);
if (process.env.FUZZ_VERBOSE) console.log([...outcomes].sort((a, b) => b[1] - a[1]));
