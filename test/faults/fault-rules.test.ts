import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { FaultRules, FaultSpecError } from '../../src/faults/fault-rules.js';

const get = (key: string, operation = 'GetObject', bucket = 'b') => ({ operation, method: 'GET', bucket, key });

describe('FaultRules', () => {
  it('matches by operation, method, bucket, key prefix and suffix; first rule in creation order wins', () => {
    const rules = new FaultRules(new ManualClock(0));
    const a = rules.add({
      match: { operation: ['GetObject', 'HeadObject'], bucket: 'b', keyPrefix: 'cam/', keySuffix: '.ts' },
      action: { type: 'reset' },
    });
    rules.add({ match: { method: 'get' }, action: { type: 'error', status: 503, code: 'SlowDown' } });
    expect(rules.takeHttp(get('cam/1.ts'))?.id).toBe(a.id);
    expect(rules.takeHttp(get('cam/playlist.m3u8'))?.action).toEqual({ type: 'error', status: 503, code: 'SlowDown' });
    expect(rules.takeHttp({ ...get('cam/1.ts'), method: 'PUT', operation: 'PutObject' })).toBeUndefined();
    expect(rules.takeHttp(get('cam/1.ts', 'GetObject', 'other'))?.action.type).toBe('error');
  });

  it('applies a counted rule that many times, then drops it; hits are counted', () => {
    const rules = new FaultRules(new ManualClock(0));
    rules.add({ action: { type: 'error', status: 500, code: 'InternalError' }, count: 2 });
    expect(rules.takeHttp(get('k'))?.hits).toBe(1);
    expect(rules.takeHttp(get('k'))?.hits).toBe(2);
    expect(rules.takeHttp(get('k'))).toBeUndefined();
    expect(rules.list()).toEqual([]);
  });

  it('hits with the given probability (seeded random), and expires on the emulator clock', () => {
    const clock = new ManualClock(1000);
    const draws = [0.9, 0.1];
    const rules = new FaultRules(clock, () => draws.shift() ?? 0);
    rules.add({ action: { type: 'reset' }, probability: 0.5, expiresIn: '1m' });
    expect(rules.takeHttp(get('k'))).toBeUndefined();
    expect(rules.takeHttp(get('k'))).toBeDefined();
    clock.advance(60_000);
    expect(rules.takeHttp(get('k'))).toBeUndefined();
    expect(rules.list()).toEqual([]);
  });

  it('keeps ingest rules apart from HTTP rules', () => {
    const rules = new FaultRules(new ManualClock(0));
    rules.add({ target: 'ingest', match: { channel: 'cam' }, action: { type: 'drop' }, count: 1 });
    expect(rules.takeHttp(get('cam/1.ts'))).toBeUndefined();
    expect(rules.takeIngest({ bucket: 'b', channel: 'other', key: 'other/1.ts' })).toBeUndefined();
    expect(rules.takeIngest({ bucket: 'b', channel: 'cam', key: 'cam/1.ts' })?.action).toEqual({ type: 'drop' });
  });

  it('refuses rules that cannot mean anything, saying why', () => {
    const rules = new FaultRules(new ManualClock(0));
    const bad: unknown[] = [
      {},
      { action: { type: 'explode' } },
      { action: { type: 'error', status: 200, code: 'Ok' } },
      { action: { type: 'delay' } },
      { action: { type: 'reset' }, count: 0 },
      { action: { type: 'reset' }, probability: 0 },
      { action: { type: 'reset' }, match: { bukket: 'b' } },
      { action: { type: 'reset' }, when: 'later' },
      { target: 'ingest', action: { type: 'reset' } },
      { target: 'ingest', action: { type: 'stall' } },
    ];
    for (const spec of bad) expect(() => rules.add(spec as never), JSON.stringify(spec)).toThrow(FaultSpecError);
  });
});
