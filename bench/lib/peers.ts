// The peer emulators a user would pick instead of ours for plain object traffic: Azurite (Azure Blob) and s3rver (S3).
// Installed on demand into node_modules/.cache/bench-peers (never a project dependency: `npm ci` stays lean), started
// as child processes, and driven with requests each signed its own way (Azurite: SharedKey; s3rver: AWS Signature V4).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { REPO_ROOT } from './bench-context.js';
import { sleep } from './ts-child.js';

export const PEER_CACHE = join(REPO_ROOT, 'node_modules/.cache/bench-peers');
const PEER_PACKAGES = ['azurite@3.35.0', 's3rver@3.7.1'];
const bin = (name: string) => join(PEER_CACHE, 'node_modules/.bin', name);

/** Installs the peers when missing; resolves to a reason when they cannot be had (no registry, …). */
export async function ensurePeers(progress: (line: string) => void): Promise<string | undefined> {
  if (existsSync(bin('azurite-blob')) && existsSync(bin('s3rver'))) return undefined;
  mkdirSync(PEER_CACHE, { recursive: true });
  progress(`rest: installing ${PEER_PACKAGES.join(' ')} into ${PEER_CACHE} (once; ~1 min)`);
  return new Promise((resolve) =>
    execFile(
      'npm',
      ['install', '--prefix', PEER_CACHE, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', ...PEER_PACKAGES],
      { timeout: 600_000 },
      (err, _stdout, stderr) => {
        if (err)
          resolve(`npm install ${PEER_PACKAGES.join(' ')} failed: ${(stderr || err.message).trim().split('\n').slice(-3).join(' ')}`);
        else if (!existsSync(bin('azurite-blob')) || !existsSync(bin('s3rver')))
          resolve('npm install finished but the peer binaries are missing');
        else resolve(undefined);
      },
    ),
  );
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`peer exited with ${child.exitCode} before listening`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await sleep(50);
  }
  throw new Error(`peer did not listen on ${port} within ${timeoutMs} ms`);
}

/** A raw HTTP/1.1 request (keep-alive) for the load generator. */
export interface RawRequestSpec {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export function rawHttp(spec: RawRequestSpec): Buffer {
  const head = `${spec.method} ${spec.path} HTTP/1.1\r\n${Object.entries(spec.headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), spec.body ?? Buffer.alloc(0)]);
}

/** Sends one raw request on a fresh connection and reads the answer (Content-Length bodies only; enough for setup). */
export function sendRaw(port: number, request: Buffer): Promise<{ status: number; head: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(new Error('setup request timed out')), 30_000);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = data.toString('latin1', 0, end);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (data.length - end - 4 < length) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: Number(head.slice(9, 12)), head, body: data.subarray(end + 4, end + 4 + length) });
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export interface PeerServer {
  name: string;
  pid: number;
  port: number;
  stop(): Promise<void>;
  /** Signed request bytes: GET or PUT of an object. Built fresh before each run (signatures carry a date). */
  request(method: 'GET' | 'PUT', key: string, body?: Buffer): Buffer;
  /** Setup: create the container/bucket. */
  createContainer(): Promise<void>;
}

function startChild(command: string, args: string[], logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [command, ...args], { stdio: ['ignore', log, log], detached: false });
  closeSync(log);
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  if (await Promise.race([exited.then(() => true), sleep(3000).then(() => false)])) return;
  child.kill('SIGKILL');
  await exited;
}

// ---- Azurite (blob service), SharedKey signing with the well-known development account

const AZ_ACCOUNT = 'devstoreaccount1';
const AZ_KEY = Buffer.from('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==', 'base64');
const AZ_VERSION = '2021-10-04';

function azureRequest(
  port: number,
  method: string,
  resource: string,
  query: Record<string, string>,
  extra: Record<string, string>,
  body?: Buffer,
): Buffer {
  const headers: Record<string, string> = {
    host: `127.0.0.1:${port}`,
    'x-ms-date': new Date().toUTCString(),
    'x-ms-version': AZ_VERSION,
    ...extra,
  };
  if (body !== undefined || method === 'PUT') headers['content-length'] = String(body?.length ?? 0);
  const msHeaders = Object.keys(headers)
    .filter((k) => k.startsWith('x-ms-'))
    .sort()
    .map((k) => `${k}:${headers[k]}\n`)
    .join('');
  const length = headers['content-length'] && headers['content-length'] !== '0' ? headers['content-length'] : '';
  const canonicalResource =
    `/${AZ_ACCOUNT}/${AZ_ACCOUNT}${resource}` +
    Object.keys(query)
      .sort()
      .map((k) => `\n${k}:${query[k]}`)
      .join('');
  const stringToSign =
    [method, '', '', length, '', headers['content-type'] ?? '', '', '', '', '', '', '', ''].join('\n') + msHeaders + canonicalResource;
  headers.authorization = `SharedKey ${AZ_ACCOUNT}:${createHmac('sha256', AZ_KEY).update(stringToSign, 'utf8').digest('base64')}`;
  const qs = Object.entries(query)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return rawHttp({ method, path: `/${AZ_ACCOUNT}${resource}${qs ? `?${qs}` : ''}`, headers, body });
}

export async function startAzurite(dir: string, inMemory: boolean, logFile: string): Promise<PeerServer> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const args = ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--silent', '--skipApiVersionCheck', '--disableTelemetry'];
  args.push(...(inMemory ? ['--inMemoryPersistence'] : ['--location', dir]));
  const child = startChild(bin('azurite-blob'), args, logFile);
  await waitForPort(port, child, 60_000);
  const container = 'bench';
  return {
    name: `Azurite ${inMemory ? 'in-memory' : 'disk'}`,
    pid: child.pid!,
    port,
    stop: () => stopChild(child),
    request: (method, key, body) =>
      azureRequest(
        port,
        method,
        `/${container}/${key}`,
        {},
        method === 'PUT' ? { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'application/octet-stream' } : {},
        body,
      ),
    createContainer: async () => {
      const res = await sendRaw(port, azureRequest(port, 'PUT', `/${container}`, { restype: 'container' }, {}, Buffer.alloc(0)));
      if (res.status !== 201 && res.status !== 409)
        throw new Error(`Azurite create container -> ${res.status}: ${res.body.toString().slice(0, 300)}`);
    },
  };
}

// ---- s3rver, AWS Signature V4 in the Authorization header (its default credentials S3RVER/S3RVER)

const S3_ID = 'S3RVER';
const S3_SECRET = 'S3RVER';
const S3_REGION = 'us-east-1';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

function s3Request(port: number, method: string, path: string, body?: Buffer): Buffer {
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256(body ?? '');
  const headers: Record<string, string> = {
    host: `127.0.0.1:${port}`,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': amzDate,
  };
  if (body !== undefined) {
    headers['content-length'] = String(body.length);
    headers['content-type'] = 'application/octet-stream';
  }
  const signed = Object.keys(headers).sort();
  const canonical = [method, path, '', ...signed.map((k) => `${k}:${headers[k]}`), '', signed.join(';'), payloadHash].join('\n');
  const scope = `${day}/${S3_REGION}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${S3_SECRET}`, day), S3_REGION), 's3'), 'aws4_request');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${S3_ID}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${createHmac('sha256', key).update(toSign).digest('hex')}`;
  return rawHttp({ method, path, headers, body });
}

export async function startS3rver(dir: string, logFile: string): Promise<PeerServer> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child = startChild(bin('s3rver'), ['-d', dir, '-a', '127.0.0.1', '-p', String(port), '--silent', '--no-vhost-buckets'], logFile);
  await waitForPort(port, child, 60_000);
  const bucket = 'bench';
  return {
    name: 's3rver (disk)',
    pid: child.pid!,
    port,
    stop: () => stopChild(child),
    request: (method, key, body) => s3Request(port, method, `/${bucket}/${key}`, method === 'PUT' ? body : undefined),
    createContainer: async () => {
      const res = await sendRaw(port, s3Request(port, 'PUT', `/${bucket}`, Buffer.alloc(0)));
      if (res.status !== 200 && res.status !== 409)
        throw new Error(`s3rver create bucket -> ${res.status}: ${res.body.toString().slice(0, 300)}`);
    },
  };
}
