import type { Clock } from '../shared/clock.js';
import { matches, type EmulatorEvent, type EventFilter, type EventPayloads, type EventType } from './event-types.js';

export interface WaitOptions {
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** Count only events with a larger id (see cursor()); default: every retained event. */
  since?: number;
  signal?: AbortSignal;
}

export class EventTimeoutError extends Error {
  override readonly name = 'EventTimeoutError';
}

const DEFAULT_CAPACITY = 10_000;
const DEFAULT_TIMEOUT_MS = 10_000;

const describe = (filter: EventFilter): string => JSON.stringify(filter);

/**
 * The emulator's events: live ingest, the store and the HTTP pipeline emit; tests, the SSE route and the console
 * listen. Keeps the last `capacity` events so waiting for something that already happened resolves at once.
 */
export class EventBus {
  private nextId = 1;
  private retained: EmulatorEvent[] = [];
  private readonly listeners = new Set<{ filter: EventFilter; fn: (e: EmulatorEvent) => void }>();

  constructor(
    private readonly clock: Clock,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  emit<T extends EventType>(type: T, payload: EventPayloads[T]): EmulatorEvent {
    const timeMs = this.clock.now();
    const event = { id: this.nextId++, type, timeMs, time: new Date(timeMs).toISOString(), ...payload } as EmulatorEvent;
    this.retained.push(event);
    if (this.retained.length > this.capacity) this.retained.splice(0, this.retained.length - this.capacity);
    for (const l of [...this.listeners]) {
      if (!matches(event, l.filter)) continue;
      try {
        l.fn(event);
      } catch {
        // A listener's failure is its own; the emitter (a segment commit, a request) carries on.
      }
    }
    return event;
  }

  /** Id of the latest event so far (0 before any): pass as `since` to count only what comes after. */
  cursor(): number {
    return this.nextId - 1;
  }

  subscribe(filter: EventFilter, fn: (e: EmulatorEvent) => void): () => void {
    const entry = { filter, fn };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /** Retained events matching the filter with id > sinceId, oldest first, at most `limit` (the newest ones). */
  recent(filter: EventFilter = {}, sinceId = 0, limit = this.capacity): EmulatorEvent[] {
    const found = this.retained.filter((e) => e.id > sinceId && matches(e, filter));
    return found.length > limit ? found.slice(found.length - limit) : found;
  }

  /** Forgets retained events (after a state reset: they describe state that is gone). Ids keep increasing. */
  clearRetained(): void {
    this.retained = [];
  }

  /**
   * Resolves with the first `count` (default 1) matching events, counting retained ones (id > since) first, so waiting
   * for something that already happened does not hang. Rejects with EventTimeoutError after timeoutMs (real time).
   */
  waitFor(filter: EventFilter & { count?: number }, options: WaitOptions = {}): Promise<EmulatorEvent[]> {
    const { count = 1, ...only } = filter;
    const seen = this.recent(only, options.since ?? 0).slice(0, count);
    if (seen.length >= count) return Promise.resolve(seen);
    return this.collect(only, count, seen, options);
  }

  /** The next matching event after this call. */
  async next(filter: EventFilter, options: Omit<WaitOptions, 'since'> = {}): Promise<EmulatorEvent> {
    const [event] = await this.collect(filter, 1, [], options);
    return event!;
  }

  /** New matching events (or those after `since`, then new ones) as an async iterator; `break` unsubscribes. */
  stream(filter: EventFilter = {}, options: { since?: number } = {}): AsyncIterableIterator<EmulatorEvent> {
    const queue: EmulatorEvent[] = options.since === undefined ? [] : this.recent(filter, options.since);
    let wake: (() => void) | undefined;
    let done = false;
    const unsubscribe = this.subscribe(filter, (e) => {
      queue.push(e);
      wake?.();
    });
    const finish = (): IteratorResult<EmulatorEvent> => {
      done = true;
      unsubscribe();
      wake?.();
      return { value: undefined, done: true };
    };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next(): Promise<IteratorResult<EmulatorEvent>> {
        while (!done) {
          const e = queue.shift();
          if (e) return { value: e, done: false };
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
        return { value: undefined, done: true };
      },
      async return(): Promise<IteratorResult<EmulatorEvent>> {
        return finish();
      },
    };
  }

  private collect(filter: EventFilter, count: number, seen: EmulatorEvent[], options: WaitOptions): Promise<EmulatorEvent[]> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const found = [...seen];
      const cleanup = () => {
        unsubscribe();
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const unsubscribe = this.subscribe(filter, (e) => {
        found.push(e);
        if (found.length < count) return;
        cleanup();
        resolve(found);
      });
      const timer = setTimeout(() => {
        cleanup();
        const last = this.recent({}, 0, 5).map((e) => e.type + ('key' in e && e.key ? ` ${e.key}` : ''));
        reject(
          new EventTimeoutError(
            `timed out after ${timeoutMs} ms waiting for ${count} event(s) ${describe(filter)}; saw ${found.length}. Latest events: ${last.join(', ') || 'none'}`,
          ),
        );
      }, timeoutMs);
      const onAbort = () => {
        cleanup();
        reject(options.signal?.reason ?? new Error('aborted'));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
