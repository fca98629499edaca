import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/cli/flags.js';
import { fromFlagsAndEnv } from '../../src/cli/serve-flags.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../src/config.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';

const dir = mkdtempSync(join(tmpdir(), 'emu-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flags and environment', () => {
  it('reads env first and lets flags win; --rtmp-port 0 disables the RTMP listener', () => {
    const { config } = fromFlagsAndEnv(['--http-port', '9000', '--rtmp-port=0', '--no-auth'], {
      OSS_EMULATOR_HTTP_PORT: '7000',
      OSS_EMULATOR_HOST: '0.0.0.0',
      OSS_EMULATOR_IN_MEMORY: '1',
      OSS_EMULATOR_BASE_DOMAIN: 'oss',
    });
    expect(config).toMatchObject({ httpPort: 9000, rtmpPort: false, host: '0.0.0.0', inMemory: true, auth: false });
    expect(config.baseDomains).toEqual(['localhost', 'aliyuncs.com', 'oss']);
    expect(config.credentials).toEqual([{ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: expect.any(String) }]);
  });

  it('turns auth off with OSS_EMULATOR_AUTH=off and refuses unknown flags and bad ports clearly', () => {
    expect(fromFlagsAndEnv([], { OSS_EMULATOR_AUTH: 'off' }).config.auth).toBe(false);
    expect(() => fromFlagsAndEnv(['--htp-port', '1'], {})).toThrow(ConfigError);
    expect(() => fromFlagsAndEnv(['--http-port', '70000'], {})).toThrow(/port number/);
    expect(() => fromFlagsAndEnv(['--http-port'], {})).toThrow(/needs a value/);
  });

  it('accepts several credential pairs from --credentials, and the server takes each of them', async () => {
    const file = join(dir, 'creds.json');
    writeFileSync(
      file,
      JSON.stringify([
        { accessKeyId: 'team-a', accessKeySecret: 'secret-a' },
        { accessKeyId: 'team-b', accessKeySecret: 'secret-b' },
      ]),
    );
    const { config } = fromFlagsAndEnv(['--credentials', file], {});
    expect(config.credentials.map((c) => c.accessKeyId)).toEqual(['team-a', 'team-b']);
    writeFileSync(join(dir, 'bad.json'), '[{"accessKeyId": 1}]');
    expect(() => fromFlagsAndEnv(['--credentials', join(dir, 'bad.json')], {})).toThrow(/needs string accessKeyId/);

    const emu = await startTestEmulator({ credentials: config.credentials });
    try {
      const bucket = uniqueBucket('creds');
      await ossClient(emu, bucket, { accessKeyId: 'team-a', accessKeySecret: 'secret-a' }).putBucket(bucket);
      const asB = ossClient(emu, bucket, { accessKeyId: 'team-b', accessKeySecret: 'secret-b' });
      await asB.put('k', Buffer.from('v'));
      expect(((await asB.get('k')).content as Buffer).toString()).toBe('v');
      expect(emu.accessKeyId).toBe('team-a');
      const defaults = ossClient(emu, bucket, { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET });
      await expect(defaults.get('k')).rejects.toMatchObject({ status: 403, code: 'InvalidAccessKeyId' });
    } finally {
      await emu.close();
    }
  });
});
