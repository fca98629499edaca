import { describe, expect, it } from 'vitest';
import { plainHead, RequestFraming, type Framing } from '../../src/net/request-framing.js';

/** Feeds `input` in pieces of `step` bytes (1 = byte by byte) and returns what the HTTP parser would see. */
function run(input: string, step = input.length): { out: string; framing: RequestFraming } {
  const framing = new RequestFraming();
  const bytes = Buffer.from(input, 'latin1');
  let out = '';
  for (let i = 0; i < bytes.length; i += step) {
    for (const piece of framing.feed(bytes.subarray(i, i + step))) out += piece.toString('latin1');
  }
  return { out, framing };
}

const bothFramings = 'PUT /k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n';
const chunkedHello = '5\r\nhello\r\n0\r\n\r\n';

describe('RequestFraming', () => {
  it('passes ordinary keep-alive traffic through byte for byte, however it is split', () => {
    const traffic =
      'GET /a HTTP/1.1\r\nHost: h\r\n\r\n' +
      'PUT /b HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world' +
      'PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n' +
      '\r\nGET /d HTTP/1.1\r\nHost: h\r\n\r\n';
    for (const step of [1, 2, 7, traffic.length]) {
      const { out, framing } = run(traffic, step);
      expect(out).toBe(traffic);
      expect(framing.rewritten).toBe(0);
    }
  });

  it('drops Content-Length and sets Connection: close when chunked comes with it (RFC 9112 §6.1), however it is split', () => {
    const expectedHead = 'PUT /k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
    for (const step of [1, 3, 1000]) {
      const { out, framing } = run(bothFramings + chunkedHello, step);
      expect(out).toBe(expectedHead + chunkedHello);
      expect(framing.rewritten).toBe(1);
    }
  });

  it('does so when the Content-Length comes before the Transfer-Encoding too', () => {
    const head = 'PUT /k HTTP/1.1\r\nContent-Length: 5\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n';
    for (const step of [1, 1000]) {
      expect(run(head + chunkedHello, step).out).toBe(
        'PUT /k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' + chunkedHello,
      );
    }
  });

  it('hands a head on as its bytes arrive, so the HTTP parser refuses garbage at once', () => {
    const framing = new RequestFraming();
    expect(Buffer.concat(framing.feed(Buffer.from('\x00\x01garbage without a line end'))).toString('latin1')).toBe(
      '\x00\x01garbage without a line end',
    );
    const partial = new RequestFraming();
    // Only from a Content-Length or Connection line on are lines held until the head ends.
    expect(Buffer.concat(partial.feed(Buffer.from('GET / HTTP/1.1\r\nHost: h\r\nConte'))).toString('latin1')).toBe(
      'GET / HTTP/1.1\r\nHost: h\r\n',
    );
    expect(Buffer.concat(partial.feed(Buffer.from('nt-Length: 0\r\n\r\n'))).toString('latin1')).toBe('Content-Length: 0\r\n\r\n');
  });

  it('drops whatever follows such a request on the connection: nothing can be smuggled behind it', () => {
    const smuggled = 'GET /admin HTTP/1.1\r\nHost: h\r\n\r\n';
    const { out } = run(bothFramings + chunkedHello + smuggled);
    expect(out).not.toContain('/admin');
    // Content-Length: 5 would have ended the body after "5\r\nhe": the chunked reading is the one used.
    expect(out.endsWith('0\r\n\r\n')).toBe(true);
  });

  it('never rewrites body bytes that look like a request head', () => {
    const fakeHead = bothFramings + chunkedHello;
    const traffic = `PUT /k HTTP/1.1\r\nHost: h\r\nContent-Length: ${fakeHead.length}\r\n\r\n${fakeHead}GET /z HTTP/1.1\r\nHost: h\r\n\r\n`;
    const { out, framing } = run(traffic, 5);
    expect(out).toBe(traffic);
    expect(framing.rewritten).toBe(0);
  });

  it('hands anything it does not model exactly to the HTTP parser untouched, for the rest of the connection', () => {
    const cases = [
      // duplicate Content-Length, a TE not ending in chunked, obs-fold, a bare LF, an upgrade, a bad chunk size
      'PUT /k HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello' + bothFramings + chunkedHello,
      'PUT /k HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 5\r\n\r\nhello' + bothFramings,
      'PUT /k HTTP/1.1\r\nX-A: 1\r\n folded\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n' + chunkedHello,
      'PUT /k HTTP/1.1\r\nX-A: 1\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n' + chunkedHello,
      'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n' + bothFramings + chunkedHello,
      'PUT /k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n' + bothFramings + chunkedHello,
    ];
    for (const traffic of cases) {
      const { out, framing } = run(traffic, 4);
      expect(out).toBe(traffic);
      expect(framing.rewritten).toBe(0);
    }
  });

  it('gives up on a head that never ends rather than buffering it', () => {
    const framing = new RequestFraming();
    const endless = Buffer.from(`GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(70_000)}`);
    const out = framing.feed(endless);
    expect(Buffer.concat(out).equals(endless)).toBe(true);
    expect(Buffer.concat(framing.feed(Buffer.from(bothFramings))).toString('latin1')).toBe(bothFramings);
  });
});

/** The regular-expression rules the one-pass check replaced (what decided the common case until round 4): the oracle. */
function plainHeadByRegex(buf: Buffer): { size: number; framing: Framing } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end <= 0) return undefined;
  const text = buf.toString('latin1', 0, end);
  const suspect =
    /^\r\n|^CONNECT |\r\n(?:transfer-encoding|upgrade)[ \t]*:|\r\n[ \t]|\r(?!\n)|(?<!\r)\n|\r\n[^:\r\n]*(?:\r\n|$)|\r\n[^:\r\n]*[ \t]:/i;
  if (suspect.test(text)) return undefined;
  const lengths = [...text.matchAll(/\r\ncontent-length:[ \t]*([^\r]*?)[ \t]*(?=\r\n|$)/gi)];
  if (lengths.length > 1) return undefined;
  const value = lengths[0]?.[1];
  if (value !== undefined && !/^\d{1,15}$/.test(value)) return undefined;
  return { size: end + 4, framing: value === undefined ? { kind: 'none' } : { kind: 'length', length: Number(value) } };
}

describe('plainHead (the common case, one pass over the bytes)', () => {
  it('takes ordinary heads, with their Content-Length', () => {
    const head = Buffer.from('PUT /k?x=a:b HTTP/1.1\r\nHost: h:80\r\ncontent-LENGTH:  12 \r\nX-A: b: c\r\n\r\nbody');
    expect(plainHead(head)).toEqual({ size: head.length - 4, framing: { kind: 'length', length: 12 } });
    expect(plainHead(Buffer.from('GET / HTTP/1.1\r\nHost: h\r\n\r\n'))).toEqual({ size: 27, framing: { kind: 'none' } });
  });

  it('leaves every head it must not judge alone to the line reader', () => {
    for (const head of [
      'PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n',
      'GET / HTTP/1.1\r\nUPGRADE: websocket\r\n\r\n',
      'connect h:443 HTTP/1.1\r\n\r\n',
      '\r\nGET / HTTP/1.1\r\n\r\n',
      'GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n',
      'GET / HTTP/1.1\r\nA: b\nC: d\r\n\r\n',
      'GET / HTTP/1.1\r\nA: b\rC: d\r\n\r\n',
      'GET / HTTP/1.1\r\nno colon here\r\n\r\n',
      'GET / HTTP/1.1\r\nContent-Length : 1\r\n\r\n',
      'PUT / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n',
      'PUT / HTTP/1.1\r\nContent-Length: +1\r\n\r\n',
      'PUT / HTTP/1.1\r\nContent-Length: 1234567890123456\r\n\r\n',
      'PUT / HTTP/1.1\r\nContent-Length:\r\n\r\n',
    ]) {
      expect(plainHead(Buffer.from(head, 'latin1')), JSON.stringify(head)).toBeUndefined();
    }
  });

  it('agrees with the regular-expression rules it replaced on 20,000 generated heads', () => {
    // A seeded generator of heads mixing the shapes that matter: framing headers in any case, blanks, stray CR/LF,
    // folded lines, lines without a colon, duplicate or malformed lengths.
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pick = <T>(items: readonly T[]): T => items[rand(items.length)]!;
    const names = [
      'Host',
      'content-length',
      'Content-Length',
      'CONTENT-LENGTH',
      'Transfer-Encoding',
      'transfer-encodinG',
      'Upgrade',
      'Connection',
      'X-Oss-Meta-A',
      'Content-Type',
      'Content-Lengthx',
      'Upgrades',
      '',
    ];
    const values = ['h', '0', '12', ' 7 ', '\t9', '1a', '', '123456789012345', '1234567890123456', 'chunked', 'a:b', '-1'];
    const separators = [':', ': ', ' :', '\t:', ':\t'];
    const breaks = ['\r\n', '\r\n', '\r\n', '\r\n', '\n', '\r', '\r\n ', '\r\n\t'];
    const starts = ['GET / HTTP/1.1', 'PUT /k HTTP/1.1', 'CONNECT h:1 HTTP/1.1', 'connect x', '', 'POST /a:b HTTP/1.1'];
    let plain = 0;
    for (let n = 0; n < 20_000; n++) {
      let head = pick(starts);
      const lines = rand(6);
      for (let k = 0; k < lines; k++) {
        head += pick(breaks);
        head += rand(10) === 0 ? 'no colon' : pick(names) + pick(separators) + pick(values);
      }
      head += '\r\n\r\n' + (rand(2) ? 'body' : '');
      const buf = Buffer.from(head, 'latin1');
      const expected = plainHeadByRegex(buf);
      expect(plainHead(buf), JSON.stringify(head)).toEqual(expected);
      if (expected) plain++;
    }
    // Both outcomes were exercised in numbers.
    expect(plain).toBeGreaterThan(1000);
    expect(plain).toBeLessThan(19_000);
  });
});
