import { BitReader } from './bit-reader.js';
import { MediaFormatError, UnsupportedCodecError } from './errors.js';

/** FLV AUDIODATA (FLV spec v10.1 E.4.2.1) after its 1-2 header bytes. */
export type AudioTag = { codec: 'aac'; packetType: 'sequence-header' | 'raw'; payload: Buffer } | { codec: 'unsupported'; name: string };

/** ISO/IEC 14496-3 §1.6.2.1; for explicit SBR/PS signalling, objectType/sampleRate are the AAC core's. */
export interface AudioSpecificConfig {
  objectType: number;
  /** 0-12 into the standard table, or 15 when the rate is written out in 24 bits. */
  samplingFrequencyIndex: number;
  sampleRate: number;
  /** 1-6 = that many channels, 7 = 7.1 (8 channels), 0 = defined by a program_config_element. */
  channelConfiguration: number;
  /** Sample rate after SBR when the config signals HE-AAC explicitly (object type 5 or 29). */
  extensionSampleRate?: number;
}

/** The three ADTS fixed-header fields that vary between streams. */
export interface AdtsParams {
  /** MPEG-4 audio object type - 1 (1 = AAC LC). */
  profile: number;
  samplingFrequencyIndex: number;
  channelConfiguration: number;
}

export const SOUND_FORMAT_AAC = 10;
export const ADTS_HEADER_SIZE = 7;
const MAX_ADTS_FRAME = 0x1fff; // aac_frame_length is 13 bits
export const SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
const EXPLICIT_RATE_INDEX = 15;
const AOT_ESCAPE = 31;
const AOT_SBR = 5;
const AOT_PS = 29;
const SOUND_FORMAT_NAMES: Readonly<Record<number, string>> = {
  0: 'Linear PCM, platform endian',
  1: 'ADPCM',
  2: 'MP3',
  3: 'Linear PCM, little endian',
  4: 'Nellymoser 16 kHz mono',
  5: 'Nellymoser 8 kHz mono',
  6: 'Nellymoser',
  7: 'G.711 A-law',
  8: 'G.711 mu-law',
  9: 'Enhanced RTMP audio',
  10: 'AAC',
  11: 'Speex',
  14: 'MP3 8 kHz',
  15: 'Device-specific sound',
};

export function parseAudioTag(body: Buffer): AudioTag {
  if (body.length < 1) throw new MediaFormatError('FLV audio tag: empty body');
  const soundFormat = body[0]! >> 4;
  if (soundFormat !== SOUND_FORMAT_AAC) {
    const name = SOUND_FORMAT_NAMES[soundFormat] ?? 'unknown audio format';
    return { codec: 'unsupported', name: `${name} (SoundFormat ${soundFormat})` };
  }
  if (body.length < 2) throw new MediaFormatError('FLV AAC audio tag: missing AACPacketType');
  const type = body[1];
  if (type !== 0 && type !== 1) throw new MediaFormatError(`FLV AAC audio tag: unknown AACPacketType ${type}`);
  return { codec: 'aac', packetType: type === 0 ? 'sequence-header' : 'raw', payload: body.subarray(2) };
}

export function parseAudioSpecificConfig(buf: Buffer): AudioSpecificConfig {
  const r = new BitReader(buf, 'AudioSpecificConfig');
  let objectType = readObjectType(r);
  const [samplingFrequencyIndex, sampleRate] = readSampleRate(r);
  const channelConfiguration = r.bits(4);
  let extensionSampleRate: number | undefined;
  if (objectType === AOT_SBR || objectType === AOT_PS) {
    // Explicit hierarchical signalling: the core config follows the extension rate (§1.6.2.1).
    extensionSampleRate = readSampleRate(r)[1];
    objectType = readObjectType(r);
  }
  return {
    objectType,
    samplingFrequencyIndex,
    sampleRate,
    channelConfiguration,
    ...(extensionSampleRate !== undefined ? { extensionSampleRate } : {}),
  };
}

function readObjectType(r: BitReader): number {
  const type = r.bits(5);
  return type === AOT_ESCAPE ? 32 + r.bits(6) : type;
}

function readSampleRate(r: BitReader): [index: number, rate: number] {
  const index = r.bits(4);
  if (index === EXPLICIT_RATE_INDEX) return [index, r.bits(24)];
  const rate = SAMPLE_RATES[index];
  if (rate === undefined) throw new MediaFormatError(`AudioSpecificConfig: reserved samplingFrequencyIndex ${index}`);
  return [index, rate];
}

/** Number of output channels for a channel configuration (7 means 7.1). */
export function channelCount(channelConfiguration: number): number {
  return channelConfiguration === 7 ? 8 : channelConfiguration;
}

/** ADTS can carry only what its 2-bit profile, 4-bit rate index and 3-bit channel fields express. */
export function adtsParamsFor(config: AudioSpecificConfig): AdtsParams {
  const { objectType, sampleRate, channelConfiguration } = config;
  const describe = `AAC object type ${objectType}, ${sampleRate} Hz, channel config ${channelConfiguration}`;
  if (config.objectType < 1 || config.objectType > 4) {
    throw new UnsupportedCodecError(`${describe}: only AAC Main/LC/SSR/LTP fit in ADTS`, describe);
  }
  const samplingFrequencyIndex = SAMPLE_RATES.indexOf(config.sampleRate);
  if (samplingFrequencyIndex < 0) {
    throw new UnsupportedCodecError(`${describe}: sample rate has no ADTS index`, describe);
  }
  if (config.channelConfiguration < 1 || config.channelConfiguration > 7) {
    throw new UnsupportedCodecError(`${describe}: channel layout from a program_config_element is not supported`, describe);
  }
  return { profile: config.objectType - 1, samplingFrequencyIndex, channelConfiguration: config.channelConfiguration };
}

/** Writes the 7-byte ADTS header (MPEG-4, no CRC) for a raw AAC frame of `payloadLength` bytes. */
export function writeAdtsHeader(out: Buffer, offset: number, params: AdtsParams, payloadLength: number): void {
  const frameLength = ADTS_HEADER_SIZE + payloadLength;
  if (frameLength > MAX_ADTS_FRAME) throw new MediaFormatError(`AAC frame of ${payloadLength} bytes is too large for ADTS`);
  out[offset] = 0xff; // syncword 0xFFF ...
  out[offset + 1] = 0xf1; // ... ID 0 (MPEG-4), layer 00, protection_absent 1
  out[offset + 2] = (params.profile << 6) | (params.samplingFrequencyIndex << 2) | (params.channelConfiguration >> 2);
  out[offset + 3] = ((params.channelConfiguration & 0x03) << 6) | (frameLength >> 11);
  out[offset + 4] = (frameLength >> 3) & 0xff;
  out[offset + 5] = ((frameLength & 0x07) << 5) | 0x1f; // buffer fullness 0x7FF = variable bit rate
  out[offset + 6] = 0xfc; // rest of buffer fullness, one raw data block
}

export function encodeAdtsHeader(params: AdtsParams, payloadLength: number): Buffer {
  const out = Buffer.allocUnsafe(ADTS_HEADER_SIZE);
  writeAdtsHeader(out, 0, params, payloadLength);
  return out;
}

/** A raw AAC frame from FLV as one ADTS frame (header + payload in a single allocation). */
export function toAdtsFrame(params: AdtsParams, raw: Buffer): Buffer {
  const out = Buffer.allocUnsafe(ADTS_HEADER_SIZE + raw.length);
  writeAdtsHeader(out, 0, params, raw.length);
  raw.copy(out, ADTS_HEADER_SIZE);
  return out;
}
