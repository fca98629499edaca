// A standalone RTMP publisher (no server library involved): replays FLV files for tests, benchmarks and users.
export { publishFlv, startPublisher, type Publisher, type PublishFlvOptions, type PublishResult, type SentTag } from './flv-publisher.js';
export { RtmpPublishError } from './rtmp-publish-error.js';
export { parseRtmpUrl, type RtmpTarget } from './rtmp-url.js';
