// RTMP fuzzing: record what our publisher writes for a real publish (handshake, connect, createStream, publish, media)
// through a recording TCP proxy, then replay random mutations of it.
import { randomBytes, randomInt } from 'node:crypto';
import net from 'node:net';
import { publishFlv } from '../../src/push/index.js';
import { exchange } from './raw-exchange.js';

/** Client -> server bytes of one complete publish of `durationMs` of the file, as fast as possible. */
export async function recordPublish(
  targetPort: number,
  urlFor: (port: number) => string,
  flv: Buffer,
  durationMs: number,
): Promise<Buffer> {
  const recorded: Buffer[] = [];
  const proxy = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    client.on('data', (chunk: Buffer) => {
      recorded.push(Buffer.from(chunk));
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  try {
    await publishFlv({ url: urlFor((proxy.address() as net.AddressInfo).port), flv, speed: 0, durationMs });
  } finally {
    proxy.close();
  }
  return Buffer.concat(recorded);
}

const INTERESTING_U32 = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0xffffff, 0x7fffffff, 0xffffffff, 128, 4096, 65536];

/** 1-8 random edits; half of them aimed at the first 6 KB (handshake and commands), where parsing decides most. */
export function mutateRtmp(original: Buffer): Buffer {
  let buf = Buffer.from(original);
  const edits = randomInt(1, 9);
  for (let e = 0; e < edits; e++) {
    const span = randomInt(2) ? Math.min(buf.length, 6 * 1024) : buf.length;
    if (span < 2) break;
    const at = randomInt(span);
    switch (randomInt(8)) {
      case 0: // flip a bit
        buf[at] = buf[at]! ^ (1 << randomInt(8));
        break;
      case 1: // random byte
        buf[at] = randomInt(256);
        break;
      case 2: // an interesting 32-bit value (lengths, timestamps, chunk sizes)
        if (at + 4 <= buf.length) buf.writeUInt32BE(INTERESTING_U32[randomInt(INTERESTING_U32.length)]!, at);
        break;
      case 3: // insert random bytes
        buf = Buffer.concat([buf.subarray(0, at), randomBytes(randomInt(1, 65)), buf.subarray(at)]);
        break;
      case 4: // delete a range
        buf = Buffer.concat([buf.subarray(0, at), buf.subarray(Math.min(buf.length, at + randomInt(1, 257)))]);
        break;
      case 5: // duplicate a range
        buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at, at + randomInt(1, 513)), buf.subarray(at)]);
        break;
      case 6: // truncate
        buf = buf.subarray(0, Math.max(1, at));
        break;
      case 7: // a chunk basic header byte with a random format and chunk stream id
        buf[at] = (randomInt(4) << 6) | randomInt(64);
        break;
    }
  }
  return buf;
}

export interface RtmpFuzzResult {
  inputs: number;
  closedByServer: number;
}

/** Sends one mutated recording; waits until the server closes or `holdMs`. */
export async function sendRtmpInput(port: number, recording: Buffer, holdMs: number): Promise<boolean> {
  const input = mutateRtmp(recording);
  // Send in a few pieces so chunk boundaries fall in different places.
  const cut = randomInt(1, Math.max(2, input.length));
  const outcome = await exchange({
    port,
    payload: input.subarray(0, cut),
    dribble: [input.subarray(cut)],
    dribbleEveryMs: 5,
    halfClose: randomInt(2) === 0,
    holdMs,
  });
  return outcome.closedByServer;
}
