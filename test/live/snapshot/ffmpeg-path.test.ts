import { describe, expect, it } from 'vitest';
import { resolveFfmpegPath } from '../../../src/live/snapshot/ffmpeg-path.js';

describe('resolveFfmpegPath', () => {
  const none = { exists: () => false, staticPath: () => undefined };
  it('FFMPEG_PATH first, as given', () => {
    expect(resolveFfmpegPath('/opt/ff/ffmpeg', { exists: () => true, staticPath: () => '/static/ffmpeg' })).toEqual({
      command: '/opt/ff/ffmpeg',
      source: 'FFMPEG_PATH',
    });
  });
  it("then ffmpeg-static's binary, only when that file exists", () => {
    expect(resolveFfmpegPath(undefined, { exists: (p) => p === '/static/ffmpeg', staticPath: () => '/static/ffmpeg' })).toEqual({
      command: '/static/ffmpeg',
      source: 'ffmpeg-static',
    });
    expect(resolveFfmpegPath('', { exists: () => false, staticPath: () => '/static/ffmpeg' })).toEqual({
      command: 'ffmpeg',
      source: 'PATH',
    });
  });
  it('then ffmpeg on PATH (ffmpeg-static is absent here: its install fails offline)', () => {
    expect(resolveFfmpegPath(undefined, none)).toEqual({ command: 'ffmpeg', source: 'PATH' });
    // The real loader: ffmpeg-static missing (or present) must not throw.
    expect(['ffmpeg-static', 'PATH']).toContain(resolveFfmpegPath(undefined).source);
  });
});
