/** Injectable time source: Expires checks, history, stat and segment times all read it, so tests can move it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can set and advance (a time source; the emulator wraps it in a ControlledClock). */
export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** `real`: the source's time; `frozen`: stands still; `offset`: runs at the source's pace, shifted. */
export type ClockMode = 'real' | 'frozen' | 'offset';

export interface ClockState {
  mode: ClockMode;
  /** The emulator's time, ms since the epoch. */
  nowMs: number;
  /** The same, ISO 8601. */
  now: string;
  /** Emulator time minus the source's (real) time. */
  offsetMs: number;
  frozen: boolean;
}

/** What happened to the clock: a jump (set/advance) or a change of pace (freeze/resume/real). */
export interface ClockChange {
  kind: 'set' | 'advance' | 'freeze' | 'resume' | 'real';
  /** Emulator time before and after the change. */
  fromMs: number;
  toMs: number;
}

export interface ClockTimer {
  /** The emulator time it fires at. */
  readonly atMs: number;
  cancel(): void;
}

export class ClockError extends Error {}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration: a number of milliseconds, `'1500'`, `'90s'`, `'1h30m'`, `'-2d'`, `'250ms'`, or ISO 8601 `'PT1H30M'` / `'P1D'`.
 * Throws ClockError otherwise.
 */
export function parseDuration(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ClockError(`duration must be a finite number of ms, got ${value}`);
    return Math.round(value);
  }
  const text = value.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) return Math.round(Number(text));
  const iso = /^([+-])?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text);
  if (iso && text.length > 2 && !/T$/i.test(text)) {
    const [, sign, d, h, m, s] = iso;
    const ms = Number(d ?? 0) * UNIT_MS.d! + Number(h ?? 0) * UNIT_MS.h! + Number(m ?? 0) * UNIT_MS.m! + Number(s ?? 0) * UNIT_MS.s!;
    return Math.round(sign === '-' ? -ms : ms);
  }
  const compact = /^([+-])?((?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+)$/i.exec(text);
  if (compact) {
    let ms = 0;
    for (const [, n, unit] of compact[2]!.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/gi)) ms += Number(n) * UNIT_MS[unit!.toLowerCase()]!;
    return Math.round(compact[1] === '-' ? -ms : ms);
  }
  throw new ClockError(`not a duration: "${value}" (use ms, or e.g. 90s, 1h30m, -2d, PT1H)`);
}

/** A point in time: epoch milliseconds (number or digits) or an ISO 8601 date-time. Throws ClockError otherwise. */
export function parseInstant(value: number | string | Date): number {
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'number'
        ? value
        : /^\d+$/.test(value.trim())
          ? Number(value)
          : Date.parse(value);
  if (!Number.isFinite(ms)) throw new ClockError(`not a time: "${String(value)}" (use epoch ms or ISO 8601, e.g. 2030-01-01T00:00:00Z)`);
  return Math.round(ms);
}

/** How the clock starts: `--clock real | frozen[:TIME] | offset:DURATION | offset:TIME`. */
export interface ClockSetting {
  mode: ClockMode;
  /** frozen: the time it stands at (default: start time); offset: the shift from real time. */
  atMs?: number;
  offsetMs?: number;
}

export function parseClockSetting(raw: string): ClockSetting {
  const colon = raw.indexOf(':');
  const mode = (colon === -1 ? raw : raw.slice(0, colon)).trim().toLowerCase();
  const value = colon === -1 ? '' : raw.slice(colon + 1).trim();
  if (mode === 'real' && !value) return { mode: 'real' };
  if (mode === 'frozen') return value ? { mode: 'frozen', atMs: parseInstant(value) } : { mode: 'frozen' };
  if (mode === 'offset') {
    if (!value) return { mode: 'offset', offsetMs: 0 };
    // A date-time (has '-' between digits or a 'T' after digits) starts the clock there; anything else is a shift.
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) return { mode: 'offset', atMs: parseInstant(value) };
    return { mode: 'offset', offsetMs: parseDuration(value) };
  }
  throw new ClockError(
    `--clock must be real, frozen[:TIME] or offset:DURATION|TIME (e.g. offset:-1h, frozen:2030-01-01T00:00:00Z), got "${raw}"`,
  );
}

interface PendingTimer extends ClockTimer {
  fire(): void;
  done: boolean;
}

/** setTimeout's ceiling (about 24.8 days); longer waits re-arm. */
const MAX_REAL_DELAY_MS = 2_147_483_647;

/**
 * The emulator's one clock. Everything time-dependent reads now(); tests move it (set, advance, freeze, resume).
 * Work due at an emulator time is scheduled with at()/after(): it fires when the clock reaches that time, whether real
 * time passes or a test advances the clock, so nothing needs to sleep or poll.
 */
export class ControlledClock implements Clock {
  private offsetMs = 0;
  private frozenAtMs: number | undefined;
  private timers: PendingTimer[] = [];
  private realTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(change: ClockChange) => void>();
  /** Where a throwing timer's error goes (the emulator logs it); timers never take the process down. */
  onTimerError: (err: unknown) => void = () => {};

  constructor(
    private readonly source: Clock = systemClock,
    setting: ClockSetting = { mode: 'real' },
  ) {
    if (setting.mode === 'frozen') this.frozenAtMs = setting.atMs ?? source.now();
    if (setting.mode === 'offset') this.offsetMs = setting.atMs !== undefined ? setting.atMs - source.now() : (setting.offsetMs ?? 0);
  }

  now(): number {
    return this.frozenAtMs ?? this.source.now() + this.offsetMs;
  }

  /**
   * The clients' time: the source's (real) time, which a test cannot move for the SDKs it drives. Header-signed requests'
   * Date is checked against this, so SDK calls keep working after the emulator clock is moved.
   */
  clientNow(): number {
    return this.source.now();
  }

  state(): ClockState {
    const nowMs = this.now();
    const frozen = this.frozenAtMs !== undefined;
    const offsetMs = nowMs - this.source.now();
    return { mode: frozen ? 'frozen' : offsetMs === 0 ? 'real' : 'offset', nowMs, now: new Date(nowMs).toISOString(), offsetMs, frozen };
  }

  /** Jumps to a time (epoch ms, ISO string or Date); a frozen clock stays frozen there. */
  set(time: number | string | Date): ClockState {
    const toMs = parseInstant(time);
    return this.change('set', () => {
      if (this.frozenAtMs !== undefined) this.frozenAtMs = toMs;
      else this.offsetMs = toMs - this.source.now();
    });
  }

  /** Moves forward (or back, with a negative duration): ms, or `'90s'`, `'1h'`, `'PT1H'`. Timers now due fire. */
  advance(duration: number | string): ClockState {
    const byMs = parseDuration(duration);
    return this.change('advance', () => {
      if (this.frozenAtMs !== undefined) this.frozenAtMs += byMs;
      else this.offsetMs += byMs;
    });
  }

  /** Stops time where it is. */
  freeze(): ClockState {
    return this.change('freeze', () => {
      this.frozenAtMs ??= this.now();
    });
  }

  /** Lets a frozen clock run again from where it stands (keeping the shift from real time it has then). */
  resume(): ClockState {
    return this.change('resume', () => {
      if (this.frozenAtMs === undefined) return;
      this.offsetMs = this.frozenAtMs - this.source.now();
      this.frozenAtMs = undefined;
    });
  }

  /** Back to real time: no shift, running. */
  real(): ClockState {
    return this.change('real', () => {
      this.frozenAtMs = undefined;
      this.offsetMs = 0;
    });
  }

  /** Runs fn once the clock reads atMs or later (at once, asynchronously, if it already does). */
  at(atMs: number, fn: () => void): ClockTimer {
    const timer: PendingTimer = {
      atMs,
      done: false,
      fire: fn,
      cancel: () => {
        if (timer.done) return;
        timer.done = true;
        this.timers = this.timers.filter((t) => t !== timer);
        this.arm();
      },
    };
    const i = this.timers.findIndex((t) => t.atMs > atMs);
    this.timers.splice(i === -1 ? this.timers.length : i, 0, timer);
    if (atMs <= this.now()) queueMicrotask(() => this.runDue());
    else this.arm();
    return timer;
  }

  /** Runs fn after this much emulator time (ms or a duration string). */
  after(duration: number | string, fn: () => void): ClockTimer {
    return this.at(this.now() + parseDuration(duration), fn);
  }

  /** Told about every set/advance/freeze/resume/real, after timers due by then have fired. Returns an unsubscribe. */
  onChange(listener: (change: ClockChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops pending timers and the real-time wake-up (emulator closing). */
  close(): void {
    for (const t of this.timers) t.done = true;
    this.timers = [];
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
  }

  private change(kind: ClockChange['kind'], apply: () => void): ClockState {
    const fromMs = this.now();
    apply();
    const toMs = this.now();
    this.runDue();
    this.arm();
    for (const listener of [...this.listeners]) listener({ kind, fromMs, toMs });
    return this.state();
  }

  /** Fires every timer due now, earliest first; a throwing timer does not stop the others. */
  private runDue(): void {
    const now = this.now();
    while (this.timers.length > 0 && this.timers[0]!.atMs <= now) {
      const timer = this.timers.shift()!;
      if (timer.done) continue;
      timer.done = true;
      try {
        timer.fire();
      } catch (err) {
        this.onTimerError(err);
      }
    }
    this.arm();
  }

  /** A real-time wake-up for the earliest timer, while the clock runs. */
  private arm(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    const next = this.timers[0];
    if (!next || this.frozenAtMs !== undefined) return;
    const delay = Math.min(MAX_REAL_DELAY_MS, Math.max(0, next.atMs - this.now()));
    this.realTimer = setTimeout(() => this.runDue(), delay);
    this.realTimer.unref();
  }
}
