// debugOn: per-request debug lines (the OSS pipeline and front) are built only when they would be written.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { debugOn } from '../../src/shared/logger.js';

describe('debugOn', () => {
  it("follows a pino logger's level, its children's and a level changed at run time", () => {
    const log = pino({ level: 'warn' }, { write: () => {} });
    expect(debugOn(log)).toBe(false);
    expect(debugOn(log.child({ component: 'http' }))).toBe(false);
    log.level = 'debug';
    expect(debugOn(log)).toBe(true);
    expect(debugOn(pino({ level: 'trace' }, { write: () => {} }).child({}))).toBe(true);
  });

  it('takes a logger without a level check (a test double) as writing everything', () => {
    expect(debugOn({ debug: () => {}, info: () => {} })).toBe(true);
  });
});
