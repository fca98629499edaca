// docker/healthcheck.mjs is what the image's HEALTHCHECK runs: the same file, with plain node, as Docker would.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator.js';
import { repoPath, run } from '../helpers/repo-files.js';

const SCRIPT = repoPath('docker/healthcheck.mjs');

/** Runs the script with only the variables Docker would pass (plus PATH), so the host's own env cannot leak in. */
function healthcheck(env: Record<string, string>) {
  return run(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? '', ...env }, timeoutMs: 10_000 });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('docker/healthcheck.mjs', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ inMemory: true, httpPort: 0, rtmpPort: 0, logLevel: 'silent' });
  });
  afterAll(() => emu.close());

  it('exits 0 against a running emulator on the port given by OSS_EMULATOR_HTTP_PORT', async () => {
    expect((await healthcheck({ OSS_EMULATOR_HTTP_PORT: String(emu.httpPort) })).code).toBe(0);
  });

  it('exits 0 with the image setting OSS_EMULATOR_HOST=0.0.0.0 and with an explicit loopback host', async () => {
    for (const host of ['0.0.0.0', '127.0.0.1']) {
      expect((await healthcheck({ OSS_EMULATOR_HTTP_PORT: String(emu.httpPort), OSS_EMULATOR_HOST: host })).code, host).toBe(0);
    }
  });

  it('exits 1 against a closed port', async () => {
    const probe = createServer();
    const port = await listen(probe);
    await new Promise((r) => probe.close(r));
    expect((await healthcheck({ OSS_EMULATOR_HTTP_PORT: String(port) })).code).toBe(1);
  });

  it('exits 1 when /-/health answers an error status', async () => {
    const failing = createServer((_req, res) => res.writeHead(503).end('starting'));
    const port = await listen(failing);
    try {
      expect((await healthcheck({ OSS_EMULATOR_HTTP_PORT: String(port) })).code).toBe(1);
    } finally {
      failing.close();
    }
  });

  // Its own deadline (below the HEALTHCHECK --timeout, see dockerfile.test.ts) ends it; run() would kill it at 10 s.
  it('exits 1 by itself when the server accepts but never answers', async () => {
    const hung = createServer(() => {});
    const port = await listen(hung);
    try {
      const started = Date.now();
      expect((await healthcheck({ OSS_EMULATOR_HTTP_PORT: String(port) })).code).toBe(1);
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      hung.closeAllConnections();
      hung.close();
    }
  });
});
