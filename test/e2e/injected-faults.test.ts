import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { startPublisher } from '../../src/push/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { createChannel, FIXTURE_360P, publishUrl } from '../helpers/live.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

const postFault = async (rule: unknown) => {
  const res = await fetch(`${emu.endpoint}/-/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

async function bucketWithObject(label: string, key = 'data.bin', bytes = Buffer.from('0123456789'.repeat(100))) {
  const bucket = uniqueBucket(label);
  const client = ossClient(emu, bucket);
  await client.putBucket(bucket);
  await client.put(key, bytes);
  return { bucket, client, key, bytes };
}

describe('injected HTTP faults, seen by the real ali-oss client', () => {
  it('ali-oss (retryMax) retries a reset connection and succeeds; every injected reset is an event', async () => {
    const { bucket, key, bytes } = await bucketWithObject('retry');
    const since = emu.events.cursor();
    const { status, body } = await postFault({ match: { operation: 'GetObject', bucket }, action: { type: 'reset' }, count: 2 });
    expect(status).toBe(201);
    const retrying = ossClient(emu, bucket, { retryMax: 3 });
    const got = await retrying.get(key);
    expect(Buffer.compare(got.content as Buffer, bytes)).toBe(0);
    const injected = emu.events.recent({ type: 'fault-injected', bucket }, since);
    expect(injected.map((e) => e.type === 'fault-injected' && e.faultId)).toEqual([body.id, body.id]);
    expect(injected[0]).toMatchObject({ action: 'reset', operation: 'GetObject', key });
  });

  it('ali-oss does not retry a 503 SlowDown (its retry covers network errors only): the error reaches the caller once', async () => {
    const { bucket, client } = await bucketWithObject('slowdown');
    const since = emu.events.cursor();
    const rule = emu.faults.add({
      match: { operation: 'PutObject', bucket },
      action: { type: 'error', status: 503, code: 'SlowDown' },
      count: 2,
    });
    const retrying = ossClient(emu, bucket, { retryMax: 3 });
    const err = (await retrying.put('x.txt', Buffer.from('x')).catch((e: unknown) => e)) as {
      status: number;
      code: string;
      requestId: string;
    };
    expect(err).toMatchObject({ status: 503, code: 'SlowDown' });
    expect(emu.faults.list().find((r) => r.id === rule.id)?.hits).toBe(1);
    const [failed] = await emu.waitFor({ type: 'request-failed', bucket }, { since });
    expect(failed).toMatchObject({ operation: 'PutObject', status: 503, code: 'SlowDown', injected: true, requestId: err.requestId });
    expect(emu.events.recent({ type: 'object-written', bucket }, since)).toEqual([]);
    // The application's own retry (what a user writes around ali-oss for 5xx) gets through once the rule is used up.
    await client.put('x.txt', Buffer.from('x')).catch(() => undefined);
    expect((await client.put('x.txt', Buffer.from('x'))).res.status).toBe(200);
  });

  it('answers with the OSS error XML of the injected code, and adds latency before it', async () => {
    const { bucket, key } = await bucketWithObject('xml');
    emu.faults.add({ match: { bucket }, action: { type: 'error', status: 500, code: 'InternalError' }, delayMs: 300, count: 1 });
    const started = Date.now();
    const res = await fetch(`${emu.endpoint}/${bucket}/${key}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(res.status).toBe(500);
    const xml = await res.text();
    expect(xml).toContain('<Code>InternalError</Code>');
    expect(xml).toContain('<Message>We encountered an internal error. Please try again.</Message>');
    expect(res.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
  });

  it('truncates a body: full Content-Length announced, fewer bytes sent, connection closed; ali-oss sees an error', async () => {
    const { bucket, key, bytes } = await bucketWithObject('trunc');
    await ossClient(emu, bucket).putACL(key, 'public-read');
    emu.faults.add({ match: { bucket, operation: 'GetObject' }, action: { type: 'truncate', bytes: 100 }, count: 1 });
    const { length, received } = await new Promise<{ length: number; received: number }>((resolve, reject) => {
      const req = httpRequest(`${emu.endpoint}/${bucket}/${key}`, (res) => {
        let received = 0;
        res.on('data', (c: Buffer) => (received += c.length));
        const done = () => resolve({ length: Number(res.headers['content-length']), received });
        res.on('end', done);
        res.on('error', done);
        res.on('aborted', done);
      });
      req.on('error', reject);
      req.end();
    });
    expect(length).toBe(bytes.length);
    expect(received).toBe(100);
  });

  it('stops applying a rule once the emulator clock passes its expiry', async () => {
    const { bucket, client, key } = await bucketWithObject('expiry');
    emu.faults.add({ match: { bucket }, action: { type: 'error', status: 503, code: 'SlowDown' }, expiresIn: '10m' });
    expect(await client.get(key).catch((e: { status: number }) => e.status)).toBe(503);
    emu.clock.advance('11m');
    try {
      expect((await client.get(key)).res.status).toBe(200);
    } finally {
      emu.clock.real();
    }
  });
});

describe('the faults admin API', () => {
  it('lists, deletes one and clears rules; refuses a bad rule with a JSON 400', async () => {
    await fetch(`${emu.endpoint}/-/faults`, { method: 'DELETE' });
    const a = await postFault({
      match: { operation: 'GetObject' },
      action: { type: 'error', status: 503, code: 'SlowDown' },
      probability: 0.5,
      expiresIn: '1h',
    });
    const b = await postFault({ match: { keyPrefix: 'x/' }, action: { type: 'delay' }, delayMs: 10 });
    expect(a.body).toMatchObject({ target: 'http', probability: 0.5, hits: 0, expiresAt: expect.any(String) });
    const list = (await (await fetch(`${emu.endpoint}/-/faults`)).json()) as { faults: Array<{ id: number }> };
    expect(list.faults.map((f) => f.id)).toEqual([a.body.id, b.body.id]);
    expect((await fetch(`${emu.endpoint}/-/faults/${String(a.body.id)}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${emu.endpoint}/-/faults/${String(a.body.id)}`, { method: 'DELETE' })).status).toBe(404);
    expect(await (await fetch(`${emu.endpoint}/-/faults`, { method: 'DELETE' })).json()).toEqual({ removed: 1 });
    const bad = await postFault({ action: { type: 'error', status: 503 }, count: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'InvalidArgument', message: expect.stringContaining('count') });
  });
});

describe('ingest faults', () => {
  it('drops the next segment (never stored, never listed) and stalls the next commit', async () => {
    const bucket = uniqueBucket('ingestfault');
    await createChannel(emu, bucket, 'cam', { acl: 'public-read-write', fragDuration: 1, fragCount: 20 });
    emu.faults.add({ target: 'ingest', match: { bucket, channel: 'cam' }, action: { type: 'drop' }, count: 1 });
    emu.faults.add({ target: 'ingest', match: { bucket, channel: 'cam' }, action: { type: 'stall', ms: 500 }, count: 1 });
    const publisher = startPublisher({ url: publishUrl(emu, bucket, 'cam'), flv: FIXTURE_360P, speed: 0, durationMs: 5000 });
    await publisher.done;
    const [dropped] = await emu.waitFor({ type: 'segment-dropped', bucket });
    const [end] = await emu.waitFor({ type: 'publish-end', bucket }, { timeoutMs: 15_000 });
    if (dropped?.type !== 'segment-dropped') throw new Error('no drop');
    expect(emu.state.object(bucket, dropped.key)).toBeUndefined();
    const playlist = emu.state.object(bucket, 'cam/playlist.m3u8');
    expect(playlist).toBeDefined();
    const committed = emu.events.recent({ type: 'segment-committed', bucket });
    expect(committed.length).toBeGreaterThanOrEqual(2);
    expect(committed.map((e) => e.type === 'segment-committed' && e.key)).not.toContain(dropped.key);
    const faults = emu.events.recent({ type: 'fault-injected', bucket });
    expect(faults.map((e) => e.type === 'fault-injected' && e.action)).toEqual(['drop', 'stall']);
    // The stalled commit came at least 500 ms after its fault event.
    const stalledKey = faults[1]!.type === 'fault-injected' ? faults[1]!.key : '';
    const stalledCommit = committed.find((e) => e.type === 'segment-committed' && e.key === stalledKey);
    expect(stalledCommit!.timeMs - faults[1]!.timeMs).toBeGreaterThanOrEqual(490);
    expect(end).toMatchObject({ reason: 'FIN' });
  });

  it('kicks a live publisher over HTTP (publish-end reason kicked), 404 when nobody is live', async () => {
    const bucket = uniqueBucket('kick');
    await createChannel(emu, bucket, 'cam', { acl: 'public-read-write' });
    const kickUrl = `${emu.endpoint}/-/channels/${bucket}/cam/kick`;
    expect((await fetch(kickUrl, { method: 'POST' })).status).toBe(404);
    const publisher = startPublisher({ url: publishUrl(emu, bucket, 'cam'), flv: FIXTURE_360P, speed: 1, loop: true });
    await publisher.started;
    await emu.waitFor({ type: 'publish-start', bucket });
    const res = await fetch(kickUrl, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kicked: true, bucket, channel: 'cam' });
    await publisher.done.catch(() => undefined);
    expect((await emu.waitFor({ type: 'publish-end', bucket }, { timeoutMs: 15_000 }))[0]).toMatchObject({
      reason: 'kicked',
      detail: 'kicked by the admin API',
    });
    expect(emu.events.recent({ type: 'fault-injected', bucket })[0]).toMatchObject({ action: 'kick', channel: 'cam' });
  });
});
