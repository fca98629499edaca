import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeJpeg } from '../../../src/live/snapshot/jpeg-encoder.js';

const scratch = mkdtempSync(join(tmpdir(), 'emu-snap-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('encodeJpeg', () => {
  it('kills an ffmpeg that takes too long and rejects', async () => {
    const slow = join(scratch, 'slow-ffmpeg');
    writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(slow, 0o755);
    const started = Date.now();
    await expect(encodeJpeg(slow, Buffer.alloc(10), { timeoutMs: 300, maxBytes: 1 << 20 })).rejects.toThrow(/longer than 300 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('rejects when the binary does not exist, and when ffmpeg fails', async () => {
    await expect(encodeJpeg(join(scratch, 'no-such-ffmpeg'), Buffer.alloc(10), { timeoutMs: 5000, maxBytes: 1 << 20 })).rejects.toThrow(
      /ENOENT/,
    );
    const failing = join(scratch, 'failing-ffmpeg');
    writeFileSync(failing, '#!/bin/sh\necho "Invalid data found" >&2\nexit 1\n');
    chmodSync(failing, 0o755);
    await expect(encodeJpeg(failing, Buffer.alloc(10), { timeoutMs: 5000, maxBytes: 1 << 20 })).rejects.toThrow(
      /exited with 1: Invalid data found/,
    );
  });
});
