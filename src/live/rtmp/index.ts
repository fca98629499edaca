// The RTMP ingest adapter: the only code that imports node-media-server.
export { createRtmpServer } from './rtmp-server.js';
export { handleRtmpSocket } from './rtmp-connection.js';
export { splitPublishName } from './publish-name.js';
export type {
  MediaEndReason,
  MediaPacket,
  MediaSink,
  PublishDecision,
  PublishRequest,
  RtmpConnection,
  RtmpConnectionOptions,
  RtmpHooks,
  RtmpServer,
} from './types.js';
