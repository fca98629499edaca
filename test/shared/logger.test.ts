import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { prettyOnFirstLine } from '../../src/shared/logger.js';

describe('the pretty logger of a TTY', () => {
  it('loads pino-pretty on the first line and prints every line, those logged while it loads included, in order', async () => {
    const written: string[] = [];
    const log = pino({ level: 'info' }, prettyOnFirstLine({ write: (text: string) => written.push(text) }));
    log.info({ bucket: 'b' }, 'first');
    log.warn('second');
    expect(written).toEqual([]); // still loading
    await expect.poll(() => written.length).toBe(2);
    log.error('third');
    expect(written).toHaveLength(3);
    const plain = written.map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(plain[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: first\n\s+bucket: "b"\n$/);
    expect(plain[1]).toMatch(/WARN: second\n$/);
    expect(plain[2]).toMatch(/ERROR: third\n$/);
    expect(plain.join('')).not.toMatch(/"pid"|hostname/);
  });
});
