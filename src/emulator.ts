import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Credentials } from './auth/credentials.js';
import { ControlledClock, parseClockSetting, systemClock, type Clock } from './shared/clock.js';
import { defaultConfig, type Config } from './config.js';
import { buildHttpApp, type HttpApp } from './http/app.js';
import { createIngest, type IngestOptions } from './live/ingest.js';
import { LiveRegistry } from './live/live-registry.js';
import { createRtmpServer } from './live/rtmp/index.js';
import { EventBus, type WaitOptions } from './events/event-bus.js';
import { FaultRules, type FaultRule, type FaultRuleSpec } from './faults/fault-rules.js';
import type { EmulatorEvent, EventFilter } from './events/event-types.js';
import { createLogger, type PinoLogger } from './shared/logger.js';
import { connectHost } from './net/host.js';
import { listen } from './net/listen.js';
import { handOverHttpConnection } from './net/hand-over-http.js';
import { sniffProtocol } from './net/protocol-sniffer.js';
import { runLifecycle } from './oss/lifecycle/lifecycle-runner.js';
import { operations } from './oss/operations/index.js';
import { applySeed } from './oss/seed/apply-seed.js';
import { parseSeedText, SeedError } from './oss/seed/seed-spec.js';
import type { CheckpointInfo } from './store/checkpoints.js';
import { Store } from './store/store.js';
import type { CheckpointControl, CheckpointView } from './http/admin/snapshot-routes.js';
import { createChannelWaits, type ChannelWaits } from './api/channel-waits.js';
import { createEmulatorState, type EmulatorState } from './api/emulator-state.js';

/**
 * The composition: everything the emulator is made of, built once by startEmulator(). Each part is handed only the
 * slice it declares (OperationServices, IngestServices, AdminServices, PipelineConfig, …), never this whole.
 * @internal (our own tests reach it through src/testing/internal.ts; the published typings leave it out)
 */
export interface Services {
  store: Store;
  clock: ControlledClock;
  config: Config;
  live: LiveRegistry;
  events: EventBus;
  /** Injected faults (POST /-/faults): the HTTP pipeline and live sessions ask before acting. */
  faults: FaultRules;
  /** Named checkpoints of the whole state (POST /-/snapshot, /-/restore). */
  checkpoints: CheckpointControl;
}

export interface EmulatorOptions extends Partial<Omit<Config, 'clock'>> {
  /**
   * How the emulator's clock starts (`'frozen'`, `'frozen:2030-01-01T00:00:00Z'`, `'offset:-1h'`, as `--clock`), or a
   * time source it runs on (a ManualClock in unit tests). Either way `emulator.clock` moves it afterwards.
   */
  clock?: Clock | string;
  logger?: PinoLogger;
}

/** What this repository's own tests and benchmarks may reach (src/testing/internal.ts); not part of the package's API. @internal */
export interface EmulatorInternals {
  services: Services;
  /** The HTTP side (its admin app is built on the first `/-/` request other than the health check, or by `http.admin()`). */
  http: HttpApp;
}

/** Instrumentation only benchmarks ask for (src/testing/internal.ts). @internal */
export interface EmulatorProbes {
  ingest?: IngestOptions;
}

/** @internal */
const internals = new WeakMap<Emulator, EmulatorInternals>();

/** The parts of a running emulator, for our own tests that check invariants (store rows, the live registry). @internal */
export function internalsOf(emulator: Emulator): EmulatorInternals {
  const found = internals.get(emulator);
  if (!found) throw new Error('not an emulator started by startEmulator()');
  return found;
}

export interface Emulator extends ChannelWaits {
  /** `http://host:port` for SDK clients. */
  endpoint: string;
  /** `rtmp://host:port` of the dedicated RTMP listener (the HTTP port when it is disabled). */
  rtmpUrl: string;
  httpPort: number;
  rtmpPort: number;
  accessKeyId: string;
  accessKeySecret: string;
  config: Config;
  /** Buckets, objects (and their bytes), channels with their live state, segments and history, read-only. */
  state: EmulatorState;
  /** The emulator's one clock: `now()`, `set(time)`, `advance('1h')`, `freeze()`, `resume()`, `real()`, `state()`. */
  clock: ControlledClock;
  /**
   * Resolves with the first `count` (default 1) matching events, counting those already retained (since start or the
   * last reset; narrow with `{ since: emu.events.cursor() }`). Rejects with EventTimeoutError after timeoutMs (10 s).
   */
  waitFor(filter: EventFilter & { count?: number }, options?: WaitOptions): Promise<EmulatorEvent[]>;
  /** The next matching event after the call. */
  nextEvent(filter?: EventFilter, options?: Omit<WaitOptions, 'since'>): Promise<EmulatorEvent>;
  /** `for await (const e of emu.events({ type: 'segment-committed' }))`; also `emu.events.cursor()`, `emu.events.recent()`. */
  events: EmulatorEvents;
  /** Injected faults, as POST|GET|DELETE /-/faults and POST /-/channels/{bucket}/{channel}/kick. */
  faults: EmulatorFaults;
  /** Saves the whole state (buckets, objects, channels, history) as a named checkpoint, as POST /-/snapshot. */
  checkpoint(name: string): CheckpointView;
  /** Puts a checkpoint back, as POST /-/restore: live publishes are ended first (as reset does), retained events cleared. */
  restore(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface EmulatorFaults {
  /** Adds a rule, e.g. `{ match: { operation: 'GetObject' }, action: { type: 'error', status: 503, code: 'SlowDown' }, count: 1 }`. */
  add(spec: FaultRuleSpec): FaultRule;
  list(): FaultRule[];
  remove(id: number): boolean;
  clear(): number;
  /** Ends the live publish of a channel from the server side; false when nobody publishes there. */
  kick(bucket: string, channel: string): boolean;
}

export interface EmulatorEvents {
  (filter?: EventFilter, options?: { since?: number }): AsyncIterableIterator<EmulatorEvent>;
  /** Id of the latest event so far (0 before any). */
  cursor(): number;
  /** Retained events matching the filter with id > since, oldest first. */
  recent(filter?: EventFilter, since?: number, limit?: number): EmulatorEvent[];
}

/** The error of a refused `--init` file: names the file and the entry. */
export class InitFileError extends Error {}

/** `--init FILE`: the seed applied through the OSS operations, object files read relative to the file's directory. */
async function applyInitFile(file: string, services: Services, log: PinoLogger): Promise<void> {
  try {
    // yaml (~70 modules) loads only when there is a seed to read.
    const { parse: parseYaml } = await import('yaml');
    const seed = parseSeedText(file, readFileSync(file, 'utf8'), parseYaml);
    const base = dirname(resolve(file));
    const report = await applySeed({ services, operations, readFile: (path) => readFileSync(resolve(base, path)) }, seed);
    const count = (list: { result: string }[], result: string) => list.filter((r) => r.result === result).length;
    log.info(
      {
        initFile: file,
        buckets: report.buckets.length,
        channels: report.channels.length,
        objects: report.objects.length,
        written:
          count(report.buckets, 'created') +
          count(report.channels, 'created') +
          count(report.channels, 'updated') +
          count(report.objects, 'written'),
        skippedLive: count(report.channels, 'skipped-live'),
      },
      'init file applied',
    );
  } catch (err) {
    if (err instanceof SeedError) throw new InitFileError(`init file ${file}: ${err.message}`);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR')
      throw new InitFileError(`cannot read init file ${file}: ${e.message}`);
    throw err;
  }
}

/** The composition root: opens the store, starts HTTP (which also accepts RTMP) and the RTMP listener. */
export function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startInstrumentedEmulator(options, {});
}

/** startEmulator with benchmark probes (src/testing/internal.ts). @internal */
export async function startInstrumentedEmulator(options: EmulatorOptions, probes: EmulatorProbes): Promise<Emulator> {
  const { clock: clockOption, logger, ...overrides } = options;
  const config: Config = { ...defaultConfig, ...overrides, ...(typeof clockOption === 'string' ? { clock: clockOption } : {}) };
  const log = logger ?? createLogger(config.logLevel);
  const clock = new ControlledClock(typeof clockOption === 'object' ? clockOption : systemClock, parseClockSetting(config.clock));
  clock.onTimerError = (err) => log.error({ err }, 'a clock timer failed');
  const store = Store.open({ dataDir: config.dataDir, inMemory: config.inMemory });
  const live = new LiveRegistry();
  const events = new EventBus(clock);
  store.onObjectChange = (change) =>
    change.kind === 'written'
      ? events.emit('object-written', {
          bucket: change.row.bucket,
          key: change.row.key,
          size: change.row.size,
          etag: change.row.etag,
          contentType: change.row.contentType,
        })
      : events.emit('object-deleted', { bucket: change.bucket, key: change.key });
  clock.onChange((change) => events.emit('clock-changed', change));
  const faults = new FaultRules(clock);
  const view = (info: CheckpointInfo): CheckpointView => ({
    name: info.name,
    createdAt: new Date(info.createdMs).toISOString(),
    files: info.files,
  });
  const checkpoints: CheckpointControl = {
    save(name) {
      const info = store.saveCheckpoint(name, clock.now());
      events.emit('checkpoint-saved', { name });
      return view(info);
    },
    async restore(name) {
      store.checkpoints.assertExists(name);
      const endedPublishes = live.all().length;
      // As /-/reset: publishes finish writing before the state changes under them.
      await ingest.endAll('checkpoint restore');
      await store.restoreCheckpoint(name);
      // Retained events describe state that was replaced: waitFor counts from the restore on.
      events.clearRetained();
      events.emit('checkpoint-restored', { name });
      return { endedPublishes };
    },
    list: () => store.checkpoints.list().map(view),
    delete: (name) => store.checkpoints.delete(name),
  };
  const services: Services = { store, clock, config, live, events, faults, checkpoints };
  const credentials = new Credentials(config.credentials);

  let httpPort: number | undefined;
  const ingest = createIngest(services, credentials, log.child({ component: 'ingest' }), probes.ingest);
  ingest.recover();
  if (config.initFile !== undefined) {
    try {
      await applyInitFile(config.initFile, services, log);
    } catch (err) {
      await ingest.close();
      clock.close();
      await store.close();
      throw err;
    }
  }
  const rtmp = createRtmpServer(ingest.hooks, {
    idleTimeoutMs: config.rtmpIdleTimeoutMs,
    handshakeTimeoutMs: config.rtmpHandshakeTimeoutMs,
    maxPendingConnections: config.rtmpMaxPendingConnections,
    log: log.child({ component: 'rtmp' }),
    httpEndpoint: () => (httpPort === undefined ? undefined : `http://${connectHost(config.host)}:${httpPort}`),
  });
  const reset = async () => {
    // Publishes finish writing before the wipe, so nothing they write survives it.
    await ingest.endAll('emulator reset');
    store.reset();
    faults.clear();
    // Retained events describe state that is gone: waitFor counts from the reset on.
    events.clearRetained();
    events.emit('state-reset', {});
  };
  const app = buildHttpApp({
    services,
    admin: services,
    testControls: services,
    faults,
    config,
    credentials,
    operations,
    logger: log,
    reset,
    ports: () => ({ http: httpPort ?? config.httpPort, rtmp: rtmpPort || httpPort || config.httpPort }),
  });

  const sockets = new Set<Socket>();
  const httpListener = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    sniffProtocol(socket, {
      timeoutMs: 10_000,
      onRtmp: (s, first) => rtmp.handleSocket(s, first),
      onHttp: (s) => handOverHttpConnection(app.server, s),
    });
  });

  let rtmpPort = 0;
  try {
    httpPort = await listen(httpListener, config.httpPort, config.host);
    // The HTTP server never listens itself (we hand it sockets), but Node starts its request/headers timeout checks on
    // 'listening': without this a half-sent request (slowloris) would hold its socket forever.
    app.server.emit('listening');
    if (config.rtmpPort !== false) rtmpPort = await rtmp.listen(config.rtmpPort, config.host);
  } catch (err) {
    httpListener.close();
    await rtmp.close();
    await store.close();
    throw err;
  }

  // Bucket lifecycle rules on a real-time timer, evaluated at the emulator clock's time (also POST /-/lifecycle/run).
  const lifecycleLog = log.child({ component: 'lifecycle' });
  const lifecycleTimer =
    config.lifecycleIntervalMs > 0
      ? setInterval(() => {
          try {
            const run = runLifecycle(store, clock.now());
            if (run.deleted.length || run.abortedUploads.length) {
              lifecycleLog.info({ deleted: run.deleted.length, abortedUploads: run.abortedUploads.length }, 'lifecycle rules applied');
            }
          } catch (err) {
            lifecycleLog.error({ err }, 'lifecycle run failed');
          }
        }, config.lifecycleIntervalMs).unref()
      : undefined;

  const host = connectHost(config.host);
  let closed: Promise<void> | undefined;
  const emulator: Emulator = {
    endpoint: `http://${host}:${httpPort}`,
    rtmpUrl: `rtmp://${host}:${rtmpPort || httpPort}`,
    httpPort,
    rtmpPort,
    accessKeyId: config.credentials[0]!.accessKeyId,
    accessKeySecret: config.credentials[0]!.accessKeySecret,
    config,
    state: createEmulatorState(store, live),
    ...createChannelWaits(events, live),
    clock,
    waitFor: (filter, waitOptions) => events.waitFor(filter, waitOptions),
    nextEvent: (filter = {}, waitOptions) => events.next(filter, waitOptions),
    events: Object.assign((filter: EventFilter = {}, streamOptions: { since?: number } = {}) => events.stream(filter, streamOptions), {
      cursor: () => events.cursor(),
      recent: (filter: EventFilter = {}, since = 0, limit?: number) => events.recent(filter, since, limit),
    }),
    checkpoint: (name) => checkpoints.save(name),
    restore: async (name) => {
      await checkpoints.restore(name);
    },
    faults: {
      add: (spec) => faults.add(spec),
      list: () => faults.list(),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
      kick: (bucket, channel) => {
        const publish = live.get(bucket, channel);
        if (!publish) return false;
        events.emit('fault-injected', { faultId: 0, action: 'kick', bucket, channel });
        publish.kick('kicked by the test', 'kicked');
        return true;
      },
    },
    close: () =>
      (closed ??= (async () => {
        clearInterval(lifecycleTimer);
        httpListener.close();
        await rtmp.close();
        await ingest.close();
        for (const socket of sockets) socket.destroy();
        await app.close();
        clock.close();
        await store.close();
      })()),
  };
  internals.set(emulator, { services, http: app });
  return emulator;
}
