// In-process cost of each stage a signed GetLiveChannelStat goes through (warm, 200k iterations each), to compare
// with what the server pays per request end to end (rest-stack-variants.ts).
//   npx tsx bench/diagnostics/auth-stage-costs.ts
import crypto from 'node:crypto';
import { authenticate } from '../../src/auth/authenticate.js';
import { Credentials } from '../../src/auth/credentials.js';
import { hmacSha1Base64 } from '../../src/auth/signature-v1.js';
import { constantTimeEqual } from '../../src/auth/verify.js';
import { resolveTarget } from '../../src/oss/wire/request-target.js';
import { renderXml } from '../../src/oss/wire/xml.js';
import { detectOperation } from '../../src/oss/detect-operation.js';
import { Store } from '../../src/store/store.js';
import { signedHeaders } from '../lib/oss-client.js';

const endpoint = {
  host: '127.0.0.1',
  httpPort: 8080,
  rtmpPort: 1935,
  accessKeyId: 'LTAI5tOssEmulatorKey',
  accessKeySecret: 'OssEmulatorSecretDoNotUseInProd',
};
const credentials = new Credentials([{ accessKeyId: endpoint.accessKeyId, accessKeySecret: endpoint.accessKeySecret }]);
const query = [
  ['live', ''],
  ['comp', 'stat'],
] as const;
const headers = { host: '127.0.0.1:8080', ...signedHeaders(endpoint, { method: 'GET', bucket: 'bench-rest', key: 'cam', query }) };
const store = Store.open({ dataDir: '', inMemory: true });
store.createBucket({ name: 'bench-rest', acl: 'private', storageClass: 'Standard', createdMs: Date.now() });
const stringToSign = 'GET\n\n\nWed, 25 Nov 2026 11:00:00 GMT\n/bench-rest/cam?comp=stat&live';
const key = crypto.createSecretKey(Buffer.from(endpoint.accessKeySecret));
const sigA = Buffer.from('abcdefghijklmnopqrstuvwxyz0=');
const sigB = Buffer.from('abcdefghijklmnopqrstuvwxyz0=');

function time(label: string, fn: () => unknown): void {
  for (let i = 0; i < 20_000; i++) fn();
  const n = 200_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  console.log(`${label.padEnd(60)} ${(((performance.now() - t0) * 1000) / n).toFixed(2).padStart(7)} µs`);
}

const now = Date.now();
time('authenticate(): a valid V1 header signature, whole check', () =>
  authenticate({ method: 'GET', bucket: 'bench-rest', key: 'cam', query, headers }, credentials, now),
);
time('  hmacSha1Base64 (createHmac with the secret as a string)', () => hmacSha1Base64(endpoint.accessKeySecret, stringToSign));
time('  the same HMAC with a cached KeyObject', () => crypto.createHmac('sha1', key).update(stringToSign).digest('base64'));
time('  constantTimeEqual (length check, timingSafeEqual on the bytes)', () =>
  constantTimeEqual('abcdefghijklmnopqrstuvwxyz0=', 'abcdefghijklmnopqrstuvwxyz0='),
);
time('  length check + timingSafeEqual on the raw bytes', () => sigA.length === sigB.length && crypto.timingSafeEqual(sigA, sigB));
time('resolveTarget (path-style URL)', () =>
  resolveTarget('127.0.0.1:8080', '/bench-rest/cam?live&comp=stat', {
    baseDomains: ['localhost', 'aliyuncs.com'],
    bucketExists: (n) => store.getBucket(n) !== undefined,
  }),
);
time('detectOperation', () => detectOperation('GET', 'bench-rest', 'cam', query));
time('store.getBucket (in-memory SQLite)', () => store.getBucket('bench-rest'));
time('store.getChannel (in-memory SQLite)', () => store.getChannel('bench-rest', 'cam'));
time('request id: randomBytes(12) -> hex -> upper case', () => crypto.randomBytes(12).toString('hex').toUpperCase());
time('renderXml(LiveChannelStat Idle)', () => renderXml('LiveChannelStat', [['Status', 'Idle']]));
await store.close();
