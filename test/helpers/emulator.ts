import OSS from 'ali-oss';
import type { FastifyInstance } from 'fastify';
import { Credentials } from '../../src/auth/credentials.js';
import { buildHttpApp, type HttpApp } from '../../src/http/app.js';
import { operations } from '../../src/oss/operations/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator.js';
import { internalsOf } from '../../src/testing/internal.js';

/** A throwaway emulator on free ports, quiet unless TEST_LOG_LEVEL says otherwise. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator({
    inMemory: true,
    httpPort: 0,
    rtmpPort: 0,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    disableGraceMs: 100,
    ...options,
  });
  // The emulator loads its admin API on the first /-/ request; from sources under vitest that takes a second or more on
  // a busy machine, which would land inside whichever test asks first. Load it here (test/http/app.test.ts tests the
  // lazy loading itself).
  await (await internalsOf(emu).http.admin()).fastify.ready();
  return emu;
}

/** The real ali-oss client, pointed at the emulator as a user would (IP endpoint). */
export function ossClient(emu: Emulator, bucket?: string, extra: Record<string, unknown> = {}): OSS {
  return new OSS({
    endpoint: emu.endpoint,
    accessKeyId: emu.accessKeyId,
    accessKeySecret: emu.accessKeySecret,
    bucket,
    ...extra,
  } as OSS.Options);
}

let counter = 0;
/** A valid, unique bucket name per test. */
export const uniqueBucket = (label = 'b'): string => `${label}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/**
 * A presigned GET URL from ali-oss's own signatureUrl. ali-oss refuses to presign for an IP endpoint, so this client
 * uses `localhost` with path-style URLs (sldEnable), which is what a user would configure.
 */
export function presignedUrl(emu: Emulator, bucket: string, key: string, options: Record<string, unknown> = {}): string {
  const client = new OSS({
    endpoint: `http://localhost:${emu.httpPort}`,
    accessKeyId: String(options.accessKeyId ?? emu.accessKeyId),
    accessKeySecret: String(options.accessKeySecret ?? emu.accessKeySecret),
    bucket,
    sldEnable: true,
  } as OSS.Options);
  return client.signatureUrl(key, options as OSS.SignatureUrlOptions);
}

/** A second HTTP app built from a running emulator's services (internals), as emulator.ts builds its own (not listening). */
export function buildTestHttpApp(emu: Emulator): HttpApp {
  const { services } = internalsOf(emu);
  return buildHttpApp({
    services,
    admin: services,
    testControls: services,
    faults: services.faults,
    config: emu.config,
    credentials: new Credentials(emu.config.credentials),
    operations,
    logger: createLogger('silent'),
    reset: async () => {},
  });
}

/** The admin app (Fastify) of such a second HTTP app, not yet ready (routes may still be added): for `inject`. Close it when done. */
export async function buildTestAdminApp(emu: Emulator): Promise<FastifyInstance> {
  return (await buildTestHttpApp(emu).admin()).fastify;
}
