import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { startTestEmulator } from '../../helpers/emulator.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator({ clock: 'frozen:2030-01-01T00:00:00Z' });
});
afterAll(() => emu.close());

const put = (body: unknown, query = '') =>
  fetch(`${emu.endpoint}/-/clock${query}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('GET|PUT /-/clock', () => {
  it('reads the clock state', async () => {
    const res = await fetch(`${emu.endpoint}/-/clock`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      mode: 'frozen',
      nowMs: Date.UTC(2030, 0, 1),
      now: '2030-01-01T00:00:00.000Z',
      offsetMs: expect.any(Number),
      frozen: true,
    });
  });

  it('sets, advances, resumes and freezes, answering the new state', async () => {
    expect(await (await put({ now: '2031-06-01T12:00:00Z' })).json()).toMatchObject({ now: '2031-06-01T12:00:00.000Z', frozen: true });
    expect(await (await put({ advance: '1h30m' })).json()).toMatchObject({ now: '2031-06-01T13:30:00.000Z' });
    expect(await (await put(undefined, '?advance=90s')).json()).toMatchObject({ now: '2031-06-01T13:31:30.000Z' });
    expect(await (await put({ frozen: false })).json()).toMatchObject({ mode: 'offset', frozen: false });
    expect(await (await put({ frozen: true, now: 1_900_000_000_000 })).json()).toMatchObject({ mode: 'frozen', nowMs: 1_900_000_000_000 });
    const real = (await (await put({ real: true })).json()) as { mode: string; nowMs: number };
    expect(real.mode).toBe('real');
    expect(Math.abs(real.nowMs - Date.now())).toBeLessThan(5000);
    expect(emu.clock.state().mode).toBe('real');
  });

  it('refuses bad input with a JSON error and leaves the clock as it was', async () => {
    await put({ now: '2030-01-01T00:00:00Z', frozen: true });
    for (const body of [{ advance: 'soon' }, { now: 'yesterday', advance: '1h' }, { frozen: 'maybe' }, { speed: 2 }, {}]) {
      const res = await put(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'InvalidArgument', message: expect.any(String) });
    }
    const bad = await fetch(`${emu.endpoint}/-/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    expect(emu.clock.now()).toBe(Date.UTC(2030, 0, 1));
  });
});
