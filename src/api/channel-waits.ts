import { EventTimeoutError, type EventBus, type WaitOptions } from '../events/event-bus.js';
import type { EmulatorEvent, EventType } from '../events/event-types.js';
import type { LivePublishes } from '../oss/live-publishes.js';

/** The event of one type, e.g. `EventOf<'segment-committed'>` with its key, sequence and duration. */
export type EventOf<T extends EventType> = Extract<EmulatorEvent, { type: T }>;

const DEFAULT_TIMEOUT_MS = 10_000;
/** How often waitForIdle looks again at a publish that gives no completion promise. */
const IDLE_POLL_MS = 20;

/** Waits on one channel's live life, as tests need them (the typed short forms of `emu.waitFor`, and waitForIdle). */
export interface ChannelWaits {
  /**
   * The first `count` (default 1) segments committed on the channel, counting those already retained (as waitFor:
   * narrow with `{ since: emu.events.cursor() }`). Rejects with EventTimeoutError after timeoutMs (10 s).
   */
  waitForSegments(bucket: string, channel: string, options?: WaitOptions & { count?: number }): Promise<EventOf<'segment-committed'>[]>;
  /** The first publish-start on the channel (retained ones count, as waitFor). */
  waitForPublishStart(bucket: string, channel: string, options?: WaitOptions): Promise<EventOf<'publish-start'>>;
  /** The first publish-end on the channel (retained ones count, as waitFor), with its reason. */
  waitForPublishEnd(bucket: string, channel: string, options?: WaitOptions): Promise<EventOf<'publish-end'>>;
  /**
   * Resolves once nobody publishes on the channel and the last publish wrote everything (last segment, ENDLIST
   * playlist, history record); at once when the channel is idle. Rejects with EventTimeoutError after timeoutMs (10 s).
   */
  waitForIdle(bucket: string, channel: string, options?: { timeoutMs?: number }): Promise<void>;
}

/** @internal */
export function createChannelWaits(events: EventBus, live: LivePublishes): ChannelWaits {
  const first = async <T extends EventType>(type: T, bucket: string, channel: string, options: WaitOptions = {}) => {
    const [event] = await events.waitFor({ type, bucket, channel }, options);
    return event as EventOf<T>;
  };
  return {
    waitForSegments: async (bucket, channel, { count, ...options } = {}) =>
      (await events.waitFor({ type: 'segment-committed', bucket, channel, count }, options)) as EventOf<'segment-committed'>[],
    waitForPublishStart: (bucket, channel, options) => first('publish-start', bucket, channel, options),
    waitForPublishEnd: (bucket, channel, options) => first('publish-end', bucket, channel, options),
    async waitForIdle(bucket, channel, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (let publish = live.get(bucket, channel); publish; publish = live.get(bucket, channel)) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new EventTimeoutError(`${bucket}/${channel} still live after ${timeoutMs} ms`);
        let timer: NodeJS.Timeout | undefined;
        // A publish that ended hands the channel over or leaves it: look again either way.
        await Promise.race([
          publish.done ?? new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS)),
          new Promise((resolve) => (timer = setTimeout(resolve, remaining))),
        ]).finally(() => clearTimeout(timer));
      }
    },
  };
}
