/**
 * RTMP message type ids (Adobe RTMP specification 1.0, §5.4 protocol control, §7.1 RTMP messages), shared by the
 * ingest server (live/rtmp) and the publisher (push/). FLV tag types are the same numbers for audio, video and data.
 */
export const RTMP_MESSAGE = {
  SET_CHUNK_SIZE: 1,
  ABORT: 2,
  ACKNOWLEDGEMENT: 3,
  USER_CONTROL: 4,
  WINDOW_ACK_SIZE: 5,
  SET_PEER_BANDWIDTH: 6,
  AUDIO: 8,
  VIDEO: 9,
  DATA_AMF3: 15,
  COMMAND_AMF3: 17,
  DATA_AMF0: 18,
  COMMAND_AMF0: 20,
  AGGREGATE: 22,
} as const;
