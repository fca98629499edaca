// The FLV fixtures in fixtures/, by path and as bytes (one place: the RTMP, live and media tests all push these).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES_DIR = join(import.meta.dirname, '../../fixtures');
export const fixturePath = (name: string): string => join(FIXTURES_DIR, name);

export const FIXTURE_360P_PATH = fixturePath('640x360-25fps-h264-aac.flv');
export const FIXTURE_720P_PATH = fixturePath('1280x720-25fps-h264-aac.flv');
export const FIXTURE_360P = readFileSync(FIXTURE_360P_PATH);
export const FIXTURE_720P = readFileSync(FIXTURE_720P_PATH);
