// The browser side of the hls.js tests: a page server on its own origin (the player page + hls.js) and Debian's
// Chromium driven by playwright-core.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, HLS_JS_PATH, playerPage } from './player-page.js';

export interface PlayerHarness {
  /** http://127.0.0.1:<port>: `/?src=<playlist url>[&sign]` opens the player page. */
  origin: string;
  context: BrowserContext;
  close(): Promise<void>;
}

export async function startPlayerHarness(): Promise<PlayerHarness> {
  const hlsJs = readFileSync(HLS_JS_PATH);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://page');
    if (url.pathname === '/hls.min.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(hlsJs);
    else if (url.pathname === '/') {
      const html = playerPage(url.searchParams.get('src') ?? '', { signEachRequest: url.searchParams.has('sign') });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const profileDir = mkdtempSync(join(tmpdir(), 'emu-chromium-'));
  const close = async (context?: BrowserContext): Promise<void> => {
    await context?.close().catch(() => {});
    rmSync(profileDir, { recursive: true, force: true });
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 640, height: 360 },
      timeout: 15_000,
    });
    return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, context, close: () => close(context) };
  } catch (err) {
    await close();
    throw err;
  }
}
