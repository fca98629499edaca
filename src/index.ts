// The programmatic API (INTERFACE.md): start an emulator from a test suite, sign RTMP URLs, push FLV files.
export { startEmulator, InitFileError, type Emulator, type EmulatorEvents, type EmulatorFaults, type EmulatorOptions } from './emulator.js';
export type {
  BucketInfo,
  ChannelInfo,
  EmulatorState,
  LivePublishInfo,
  ObjectInfo,
  PublishRecord,
  SegmentInfo,
} from './api/emulator-state.js';
export type { ChannelWaits, EventOf } from './api/channel-waits.js';
export type { LiveAudioStat, LiveVideoStat } from './oss/live-publishes.js';
export type { CheckpointView } from './http/admin/snapshot-routes.js';
export { defaultConfig, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, type Config } from './config.js';
export { signRtmpUrl, type SignRtmpUrlInput } from './auth/rtmp-signature.js';
export { publishFlv, startPublisher, RtmpPublishError, type Publisher, type PublishFlvOptions, type PublishResult } from './push/index.js';
export {
  ControlledClock,
  ManualClock,
  parseDuration,
  systemClock,
  type Clock,
  type ClockState,
  type ClockTimer,
  type ClockChange,
} from './shared/clock.js';
export { EventTimeoutError, type WaitOptions } from './events/event-bus.js';
export type { EmulatorEvent, EventFilter, EventType, PublishEndReason } from './events/event-types.js';
export type { FaultRule, FaultRuleSpec, FaultMatch, FaultActionSpec } from './faults/fault-rules.js';
