import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { EventBus, EventTimeoutError } from '../../src/events/event-bus.js';

const written = (bus: EventBus, key: string, bucket = 'b') =>
  bus.emit('object-written', { bucket, key, size: 1, etag: '"X"', contentType: 'text/plain' });

describe('EventBus', () => {
  it('stamps events with increasing ids and the emulator clock', () => {
    const bus = new EventBus(new ManualClock(Date.UTC(2030, 0, 1)));
    const a = written(bus, 'a');
    const b = written(bus, 'b');
    expect(a).toMatchObject({ id: 1, type: 'object-written', timeMs: Date.UTC(2030, 0, 1), time: '2030-01-01T00:00:00.000Z', key: 'a' });
    expect(b.id).toBe(2);
    expect(bus.cursor()).toBe(2);
  });

  it('waitFor counts events that already happened, then waits for the rest', async () => {
    const bus = new EventBus(new ManualClock(0));
    written(bus, 'k1');
    written(bus, 'other', 'elsewhere');
    const waiting = bus.waitFor({ type: 'object-written', bucket: 'b', count: 3 }, { timeoutMs: 1000 });
    written(bus, 'k2');
    written(bus, 'k3');
    written(bus, 'k4');
    expect((await waiting).map((e) => ('key' in e ? e.key : ''))).toEqual(['k1', 'k2', 'k3']);
    expect(await bus.waitFor({ type: 'object-written', bucket: 'b' })).toHaveLength(1);
  });

  it('waitFor with since counts only later events; nextEvent waits for a new one', async () => {
    const bus = new EventBus(new ManualClock(0));
    written(bus, 'old');
    const since = bus.cursor();
    const waiting = bus.waitFor({ keyPrefix: 'n' }, { since, timeoutMs: 1000 });
    const next = bus.next({ type: 'object-deleted' }, { timeoutMs: 1000 });
    written(bus, 'new');
    bus.emit('object-deleted', { bucket: 'b', key: 'new' });
    expect((await waiting)[0]).toMatchObject({ key: 'new' });
    expect(await next).toMatchObject({ type: 'object-deleted', key: 'new' });
  });

  it('rejects with a timeout that says what it waited for and what happened', async () => {
    const bus = new EventBus(new ManualClock(0));
    written(bus, 'x');
    const err = await bus.waitFor({ type: 'publish-start', channel: 'cam' }, { timeoutMs: 30 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventTimeoutError);
    expect((err as Error).message).toMatch(/publish-start.*cam.*object-written x/);
  });

  it('streams new events to an async iterator until the loop breaks', async () => {
    const bus = new EventBus(new ManualClock(0));
    const seen: string[] = [];
    const loop = (async () => {
      for await (const e of bus.stream({ type: 'object-written' })) {
        if (e.type === 'object-written') seen.push(e.key);
        if (seen.length === 2) break;
      }
    })();
    written(bus, 'a');
    bus.emit('state-reset', {});
    written(bus, 'b');
    written(bus, 'c');
    await loop;
    expect(seen).toEqual(['a', 'b']);
  });

  it('keeps a bounded number of events and forgets them on clearRetained, ids continuing', () => {
    const bus = new EventBus(new ManualClock(0), 3);
    for (let i = 0; i < 5; i++) written(bus, `k${i}`);
    expect(bus.recent().map((e) => e.id)).toEqual([3, 4, 5]);
    bus.clearRetained();
    expect(bus.recent()).toEqual([]);
    expect(written(bus, 'z').id).toBe(6);
  });
});
