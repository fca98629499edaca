import { describe, expect, it } from 'vitest';
import { RequestFraming } from '../../src/net/request-framing.js';

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
