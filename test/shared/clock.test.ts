import { describe, expect, it } from 'vitest';
import { ClockError, ControlledClock, ManualClock, parseClockSetting, parseDuration, parseInstant } from '../../src/shared/clock.js';

describe('parseDuration', () => {
  it('reads ms, compact units and ISO 8601 durations', () => {
    expect(parseDuration(1500)).toBe(1500);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('-2d')).toBe(-172_800_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('PT1H30M')).toBe(5_400_000);
    expect(parseDuration('P1D')).toBe(86_400_000);
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', 'soon', '1y', 'PT', 'P', '1h 30m']) expect(() => parseDuration(bad)).toThrow(ClockError);
  });
});

describe('parseInstant and parseClockSetting', () => {
  it('reads epoch ms and ISO 8601', () => {
    expect(parseInstant('2030-01-01T00:00:00Z')).toBe(Date.UTC(2030, 0, 1));
    expect(parseInstant('1893456000000')).toBe(1_893_456_000_000);
    expect(() => parseInstant('tomorrow')).toThrow(ClockError);
  });

  it('reads --clock values', () => {
    expect(parseClockSetting('real')).toEqual({ mode: 'real' });
    expect(parseClockSetting('frozen')).toEqual({ mode: 'frozen' });
    expect(parseClockSetting('frozen:2030-01-01T00:00:00Z')).toEqual({ mode: 'frozen', atMs: Date.UTC(2030, 0, 1) });
    expect(parseClockSetting('offset:-1h')).toEqual({ mode: 'offset', offsetMs: -3_600_000 });
    expect(parseClockSetting('offset:2030-01-01T00:00:00Z')).toEqual({ mode: 'offset', atMs: Date.UTC(2030, 0, 1) });
    expect(() => parseClockSetting('fast')).toThrow(ClockError);
  });
});

describe('ControlledClock', () => {
  it('runs with its source, shifted by set/advance, and stands still when frozen', () => {
    const source = new ManualClock(1_000_000);
    const clock = new ControlledClock(source);
    expect(clock.state()).toMatchObject({ mode: 'real', nowMs: 1_000_000, offsetMs: 0 });
    clock.advance('1s');
    source.advance(500);
    expect(clock.state()).toMatchObject({ mode: 'offset', nowMs: 1_001_500, offsetMs: 1000 });
    clock.freeze();
    source.advance(10_000);
    expect(clock.now()).toBe(1_001_500);
    clock.resume();
    source.advance(1);
    expect(clock.now()).toBe(1_001_501);
    clock.real();
    expect(clock.now()).toBe(source.now());
    expect(clock.clientNow()).toBe(source.now());
  });

  it('fires timers when advanced to or past their time, in time order, and not when cancelled', () => {
    const clock = new ControlledClock(new ManualClock(0), { mode: 'frozen' });
    const fired: string[] = [];
    clock.at(2000, () => fired.push('b'));
    clock.after('1s', () => fired.push('a'));
    const c = clock.after(1500, () => fired.push('cancelled'));
    c.cancel();
    clock.advance(999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual(['a']);
    clock.set(5000);
    expect(fired).toEqual(['a', 'b']);
  });

  it('fires timers as real time reaches them when running', async () => {
    const clock = new ControlledClock();
    const fired = new Promise<number>((resolve) => clock.after(20, () => resolve(clock.now())));
    const t = clock.now();
    expect(await fired).toBeGreaterThanOrEqual(t + 20);
    clock.close();
  });

  it('keeps firing the other timers when one throws, reporting the error', () => {
    const clock = new ControlledClock(new ManualClock(0), { mode: 'frozen' });
    const errors: unknown[] = [];
    clock.onTimerError = (err) => errors.push(err);
    let ran = false;
    clock.at(1, () => {
      throw new Error('boom');
    });
    clock.at(2, () => (ran = true));
    clock.advance(5);
    expect(ran).toBe(true);
    expect(errors).toHaveLength(1);
  });

  it('tells listeners about jumps with the time before and after', () => {
    const clock = new ControlledClock(new ManualClock(100), { mode: 'frozen' });
    const changes: unknown[] = [];
    clock.onChange((c) => changes.push(c));
    clock.advance(50);
    clock.set(10);
    expect(changes).toEqual([
      { kind: 'advance', fromMs: 100, toMs: 150 },
      { kind: 'set', fromMs: 150, toMs: 10 },
    ]);
  });
});
