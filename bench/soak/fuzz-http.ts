// HTTP fuzzing: valid signed requests, then malformed XML bodies, huge headers, absurd query values, invalid
// UTF-8 and raw bytes in paths, and random byte edits of whole requests. Many are re-signed after the change, so
// they get past authentication and reach the operation; the rest test the parser and the signer.
import { randomBytes, randomInt } from 'node:crypto';
import { rawRequest, type OssEndpoint, type OssRequest } from '../lib/oss-client.js';
import { exchange } from './raw-exchange.js';

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)]!;

const CHANNEL_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<LiveChannelConfiguration><Description>d</Description><Status>enabled</Status>' +
  '<Target><Type>HLS</Type><FragDuration>2</FragDuration><FragCount>3</FragCount><PlaylistName>playlist.m3u8</PlaylistName></Target></LiveChannelConfiguration>';

function malformedXml(): Buffer {
  const nest = (depth: number) => '<a>'.repeat(depth) + 'x' + '</a>'.repeat(depth);
  const choices: Array<() => string | Buffer> = [
    () => CHANNEL_XML.slice(0, randomInt(CHANNEL_XML.length)),
    () => randomBytes(randomInt(1, 4096)),
    () => `<LiveChannelConfiguration>${nest(randomInt(100, 20_000))}</LiveChannelConfiguration>`,
    () =>
      `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><LiveChannelConfiguration><Description>&c;</Description></LiveChannelConfiguration>`,
    () => CHANNEL_XML.replace('<Description>d</Description>', `<Description>${'x'.repeat(randomInt(1000, 2_000_000))}</Description>`),
    () =>
      CHANNEL_XML.replace(
        '<FragDuration>2</FragDuration>',
        `<FragDuration>${pick(['-1', '0', '1e309', '99999999999999999999', 'NaN', '', '2.5', '0x10'])}</FragDuration>`,
      ),
    () => CHANNEL_XML.replace('<Target>', '<Target><Target>').replace('</Target>', '</Target></Target>'),
    () => CHANNEL_XML.replace('<Status>enabled</Status>', '<Status>enabled</Status>'.repeat(randomInt(2, 1000))),
    () =>
      Buffer.concat([
        Buffer.from(CHANNEL_XML.slice(0, 120)),
        Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80]),
        Buffer.from(CHANNEL_XML.slice(120)),
      ]),
    () => CHANNEL_XML.replace('LiveChannelConfiguration>', 'Other>'),
    () => `<LiveChannelConfiguration ${'a="b" '.repeat(randomInt(1, 5000))}></LiveChannelConfiguration>`,
    () => CHANNEL_XML.replace('playlist.m3u8', pick(['../x.m3u8', 'a/b.m3u8', '', 'x'.repeat(300) + '.m3u8', '\u0000.m3u8', 'é.m3u8'])),
  ];
  const body = pick(choices)();
  return typeof body === 'string' ? Buffer.from(body) : body;
}

function absurdQuery(): ReadonlyArray<readonly [string, string]> {
  const value = () =>
    pick(['-1', '0', '1e309', '99999999999999999999', 'NaN', '%zz', '\u0000', 'x'.repeat(randomInt(1, 20_000)), '你好', '-0', ' 5 ', '']);
  return pick<() => ReadonlyArray<readonly [string, string]>>([
    () => [['max-keys', value()]] as const,
    () =>
      [
        ['marker', value()],
        ['prefix', value()],
        ['delimiter', value()],
      ] as const,
    () =>
      [
        ['live', ''],
        ['comp', pick(['stat', 'history', 'x', ''])],
        ['marker', value()],
      ] as const,
    () =>
      [
        ['vod', ''],
        ['startTime', value()],
        ['endTime', value()],
        ['playlistName', value()],
      ] as const,
    () =>
      [
        ['live', ''],
        ['status', value()],
      ] as const,
    () =>
      [
        ['list-type', '2'],
        ['continuation-token', value()],
        ['max-keys', value()],
        ['start-after', value()],
      ] as const,
    () =>
      [
        ['acl', ''],
        ['acl', ''],
        ['live', ''],
        ['vod', ''],
      ] as const,
    () => Array.from({ length: randomInt(1, 500) }, (_, i) => [`p${i}`, value()] as const),
  ])();
}

const BAD_KEYS = [
  '%ff%fe%fd',
  '%c0%af',
  'a%00b',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e/%2e%2e/x',
  'x'.repeat(1100),
  '%e2%82',
  '%',
  '%%%',
  '\u00e9',
];

/** The request line, with anything in the path (raw bytes included). */
function rawWithPath(base: Buffer, path: Buffer): Buffer {
  const firstSpace = base.indexOf(0x20);
  const secondSpace = base.indexOf(0x20, firstSpace + 1);
  return Buffer.concat([base.subarray(0, firstSpace + 1), path, base.subarray(secondSpace)]);
}

function withHeader(base: Buffer, header: string): Buffer {
  const end = base.indexOf('\r\n');
  return Buffer.concat([base.subarray(0, end + 2), Buffer.from(header, 'latin1'), base.subarray(end + 2)]);
}

export function fuzzHttpInput(endpoint: OssEndpoint, bucket: string, objectKey: string, channel: string): { kind: string; bytes: Buffer } {
  const valid: OssRequest[] = [
    {
      method: 'GET',
      bucket,
      key: channel,
      query: [
        ['live', ''],
        ['comp', 'stat'],
      ],
    },
    { method: 'GET', bucket, key: objectKey },
    { method: 'GET', bucket, query: [['max-keys', '10']] },
    {
      method: 'GET',
      bucket,
      key: channel,
      query: [
        ['live', ''],
        ['comp', 'history'],
      ],
    },
    { method: 'PUT', bucket, key: `fuzz-${randomInt(1000)}`, query: [['live', '']], contentType: 'application/xml', body: CHANNEL_XML },
    {
      method: 'PUT',
      bucket,
      key: `fuzz-obj-${randomInt(1000)}`,
      contentType: 'application/octet-stream',
      body: randomBytes(randomInt(0, 2048)),
    },
    {
      method: 'POST',
      bucket,
      key: channel,
      query: [
        ['vod', ''],
        ['endTime', String(Math.floor(Date.now() / 1000))],
        ['startTime', '0'],
      ],
    },
  ];
  const signedWith = (req: OssRequest) => rawRequest(endpoint, req);
  const kind = pick(['xml', 'headers', 'query', 'path', 'bytes', 'method'] as const);
  switch (kind) {
    case 'xml': {
      const body = malformedXml();
      const req: OssRequest = {
        method: 'PUT',
        bucket,
        key: pick([channel, `fuzz-${randomInt(1000)}`]),
        query: [['live', '']],
        contentType: 'application/xml',
        body,
      };
      return { kind: 'malformed XML body (signed)', bytes: signedWith(req) };
    }
    case 'headers': {
      const base = signedWith(pick(valid));
      const huge = pick([
        () => `X-Oss-Meta-Big: ${'a'.repeat(pick([8 * 1024, 17 * 1024, 64 * 1024, 1024 * 1024]))}\r\n`,
        () => Array.from({ length: randomInt(100, 3000) }, (_, i) => `X-H${i}: v\r\n`).join(''),
        () => `Content-Length: ${pick(['-1', '99999999999999999999', 'abc', '1, 2'])}\r\n`,
        () => `Range: bytes=${pick(['0-', '-0', '99999999999999999999-', '5-1', '0-1,2-3', 'x-y'])}\r\n`,
        () => `If-Modified-Since: ${pick(['garbage', '0', 'Mon, 99 Foo 9999 99:99:99 GMT'])}\r\n`,
        () => `Authorization: OSS ${'k'.repeat(randomInt(0, 5000))}:${'s'.repeat(randomInt(0, 5000))}\r\n`,
        () => `Host: ${pick(['', 'a'.repeat(5000), 'bucket.localhost', '[::1', '..', 'x:99999'])}\r\n`,
        () => `Transfer-Encoding: chunked\r\n`,
      ])();
      return { kind: 'huge or odd headers', bytes: withHeader(base, huge) };
    }
    case 'query': {
      const req = { ...pick(valid), query: absurdQuery() };
      return { kind: 'absurd query values (signed)', bytes: signedWith(req) };
    }
    case 'path': {
      const base = signedWith(pick(valid));
      const path = pick([
        () => Buffer.from(`/${bucket}/${pick(BAD_KEYS)}`),
        () => Buffer.concat([Buffer.from(`/${bucket}/`), Buffer.from([0xff, 0xfe, 0x80, 0xc3, 0x28])]),
        () => Buffer.from(`/${pick(['', '-', '..', 'a', 'A_B', 'x'.repeat(70)])}/${objectKey}`),
        () => Buffer.from(pick(['*', '//', '/?', `/${bucket}?${'&'.repeat(1000)}`, 'http://evil/x', '/-/health/../../x'])),
      ])();
      return { kind: 'odd paths (invalid UTF-8, traversal, raw bytes)', bytes: rawWithPath(base, path) };
    }
    case 'method': {
      const base = signedWith(pick(valid));
      const method = pick(['PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'get', 'G\u00c9T', 'X'.repeat(100)]);
      return { kind: 'other methods', bytes: Buffer.concat([Buffer.from(method, 'latin1'), base.subarray(base.indexOf(0x20))]) };
    }
    case 'bytes': {
      const buf = Buffer.from(signedWith(pick(valid)));
      for (let e = randomInt(1, 6); e > 0; e--) buf[randomInt(buf.length)] = randomInt(256);
      return { kind: 'random byte edits of a signed request', bytes: buf };
    }
  }
}

/** Sends one input on a fresh connection: the HTTP status it got (0: none before the connection ended) and the answer's start. */
export async function sendHttpInput(port: number, bytes: Buffer, holdMs: number): Promise<{ status: number; head: string }> {
  const outcome = await exchange({ port, payload: bytes, holdMs, settleAfterFirstByteMs: 50 });
  const head = outcome.firstBytes.toString('latin1');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  return { status: m ? Number(m[1]) : 0, head };
}
