import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adtsParamsFor, encodeAdtsHeader, parseAudioSpecificConfig, parseAudioTag, toAdtsFrame } from '../../src/media/aac.js';
import { MediaFormatError, UnsupportedCodecError } from '../../src/media/errors.js';
import { parseFlv } from '../../src/media/flv.js';
import { BitWriter } from '../helpers/bit-writer.js';

const FIXTURE = new URL('../../fixtures/640x360-25fps-h264-aac.flv', import.meta.url);

describe('parseAudioTag', () => {
  it('splits AAC sequence headers from raw frames', () => {
    expect(parseAudioTag(Buffer.from([0xaf, 0x00, 0x12, 0x10]))).toEqual({
      codec: 'aac',
      packetType: 'sequence-header',
      payload: Buffer.from([0x12, 0x10]),
    });
    expect(parseAudioTag(Buffer.from([0xaf, 0x01, 0x21]))).toEqual({ codec: 'aac', packetType: 'raw', payload: Buffer.from([0x21]) });
  });

  it('reports other sound formats by name', () => {
    expect(parseAudioTag(Buffer.from([0x2f, 0xff]))).toEqual({ codec: 'unsupported', name: 'MP3 (SoundFormat 2)' });
    expect(parseAudioTag(Buffer.from([0xb6]))).toEqual({ codec: 'unsupported', name: 'Speex (SoundFormat 11)' });
  });

  it('rejects an AAC tag without its packet type byte', () => {
    expect(() => parseAudioTag(Buffer.from([0xaf]))).toThrow(MediaFormatError);
  });
});

describe('parseAudioSpecificConfig', () => {
  it('reads AAC LC 44.1 kHz stereo (12 10) and 48 kHz stereo (11 90)', () => {
    expect(parseAudioSpecificConfig(Buffer.from([0x12, 0x10]))).toEqual({
      objectType: 2,
      samplingFrequencyIndex: 4,
      sampleRate: 44100,
      channelConfiguration: 2,
    });
    expect(parseAudioSpecificConfig(Buffer.from([0x11, 0x90]))).toMatchObject({ sampleRate: 48000, channelConfiguration: 2 });
  });

  it('reads an explicit 24-bit sample rate and maps a standard one back to its ADTS index', () => {
    const asc = new BitWriter().u(5, 2).u(4, 15).u(24, 44100).u(4, 1).trailing().toBuffer();
    const config = parseAudioSpecificConfig(asc);
    expect(config).toEqual({ objectType: 2, samplingFrequencyIndex: 15, sampleRate: 44100, channelConfiguration: 1 });
    expect(adtsParamsFor(config)).toEqual({ profile: 1, samplingFrequencyIndex: 4, channelConfiguration: 1 });
  });

  it('refuses ADTS for a rate outside the ADTS table', () => {
    const config = parseAudioSpecificConfig(new BitWriter().u(5, 2).u(4, 15).u(24, 50000).u(4, 2).trailing().toBuffer());
    expect(config.sampleRate).toBe(50000);
    expect(() => adtsParamsFor(config)).toThrow(UnsupportedCodecError);
  });

  it('unwraps explicit HE-AAC (object type 5) to its AAC LC core', () => {
    const asc = new BitWriter().u(5, 5).u(4, 6).u(4, 2).u(4, 3).u(5, 2).trailing().toBuffer();
    expect(parseAudioSpecificConfig(asc)).toEqual({
      objectType: 2,
      samplingFrequencyIndex: 6,
      sampleRate: 24000,
      channelConfiguration: 2,
      extensionSampleRate: 48000,
    });
  });

  it('reads escaped object types and rejects them for ADTS', () => {
    const usac = parseAudioSpecificConfig(new BitWriter().u(5, 31).u(6, 10).u(4, 3).u(4, 2).trailing().toBuffer());
    expect(usac.objectType).toBe(42);
    expect(() => adtsParamsFor(usac)).toThrow(/only AAC Main\/LC\/SSR\/LTP/);
  });

  it('throws MediaFormatError on a truncated config', () => {
    expect(() => parseAudioSpecificConfig(Buffer.from([0x12]))).toThrow(MediaFormatError);
  });
});

describe('ADTS header', () => {
  it('is FF F1 50 80 .. .. FC for AAC LC 44.1 kHz stereo, with the 13-bit frame length split across bytes 3-5', () => {
    const params = adtsParamsFor(parseAudioSpecificConfig(Buffer.from([0x12, 0x10])));
    // frame length 7 + 200 = 207 = 0b00000_11001_111
    expect(encodeAdtsHeader(params, 200).toString('hex')).toBe('fff1508019fffc');
    // 7 + 4000 = 4007 = 0x0fa7: bits 12..11 = 0b01 in byte 3
    expect(encodeAdtsHeader(params, 4000).toString('hex')).toBe('fff15081f4fffc');
    expect(() => encodeAdtsHeader(params, 8185)).toThrow(MediaFormatError);
  });

  it('produces the same ADTS stream as ffmpeg -c:a copy -f adts for the fixture', () => {
    const tags = parseFlv(readFileSync(FIXTURE))
      .tags.filter((t) => t.type === 'audio')
      .map((t) => parseAudioTag(t.data));
    const [seq, ...frames] = tags;
    if (seq?.codec !== 'aac' || seq.packetType !== 'sequence-header')
      throw new Error('fixture audio must start with an AAC sequence header');
    const params = adtsParamsFor(parseAudioSpecificConfig(seq.payload));
    const ours = Buffer.concat(frames.map((f) => (f.codec === 'aac' ? toAdtsFrame(params, f.payload) : Buffer.alloc(0))));
    const ffmpeg = execFileSync('ffmpeg', ['-v', 'error', '-i', FIXTURE.pathname, '-map', '0:a', '-c', 'copy', '-f', 'adts', '-'], {
      maxBuffer: 64 << 20,
    });
    expect(ours.length).toBe(ffmpeg.length);
    expect(ours.equals(ffmpeg)).toBe(true);
  });
});
