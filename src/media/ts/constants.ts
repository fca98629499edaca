/** Names and values from ISO/IEC 13818-1 (MPEG-2 Systems) and the PIDs ffmpeg/HLS packagers conventionally use. */
export const TS_PACKET_SIZE = 188;
export const TS_HEADER_SIZE = 4;
export const TS_PAYLOAD_SIZE = TS_PACKET_SIZE - TS_HEADER_SIZE;
export const SYNC_BYTE = 0x47;

export const PID_PAT = 0x0000;
export const PID_PMT = 0x1000;
export const PID_VIDEO = 0x0100;
export const PID_AUDIO = 0x0101;

export const TABLE_ID_PAT = 0x00;
export const TABLE_ID_PMT = 0x02;
export const TRANSPORT_STREAM_ID = 1;
export const PROGRAM_NUMBER = 1;

/** Table 2-34 stream_type: AVC video, and ADTS-framed AAC audio. */
export const STREAM_TYPE_H264 = 0x1b;
export const STREAM_TYPE_AAC_ADTS = 0x0f;

/** Table 2-22 stream_id: first video and first audio stream. */
export const STREAM_ID_VIDEO = 0xe0;
export const STREAM_ID_AUDIO = 0xc0;

/** adaptation_field_control (Table 2-5). */
export const AFC_PAYLOAD_ONLY = 0b01;
export const AFC_ADAPTATION_ONLY = 0b10;
export const AFC_ADAPTATION_AND_PAYLOAD = 0b11;

/** Adaptation-field flag bits (§2.4.3.4). */
export const AF_RANDOM_ACCESS = 0x40;
export const AF_PCR = 0x10;

/** PTS/DTS/PCR base tick rate, and the 33-bit range they wrap in. */
export const CLOCK_HZ = 90_000;
export const TIMESTAMP_WRAP = 2 ** 33;
