import type { Clock } from '../../shared/clock.js';
import type { Store } from '../../store/store.js';

/*
 * LiveChannel Snapshot (PutLiveChannel's <Snapshot>): every Interval seconds of stream time, the last keyframe of
 * that interval is decoded to a JPEG by ffmpeg and stored in DestBucket. Not emulated: RoleName (no RAM: the
 * emulator writes DestBucket as itself) and NotifyTopic (no MNS: nothing is notified).
 */

export const SNAPSHOT_CONTENT_TYPE = 'image/jpeg';

/**
 * Object key of a snapshot in DestBucket. OSS does not document its naming, so this is our choice:
 * `<channel>/<unix-ms>.jpg`, the time being the keyframe's place on the channel's timeline (the same mapping from
 * stream DTS to wall time as the segment names), so keys sort in stream order even for pushes faster than real time.
 */
export const snapshotKey = (channel: string, atMs: number): string => `${channel}/${atMs}.jpg`;

/** What storing a snapshot needs from the store. */
export type SnapshotStore = Pick<Store, 'getBucket' | 'putObjectBytes'>;

/**
 * Stores an encoder's output as the snapshot object. Throws when it is not a JPEG; false (nothing stored) when
 * DestBucket was deleted meanwhile.
 */
export function storeSnapshot(store: SnapshotStore, clock: Clock, destBucket: string, key: string, jpeg: Buffer): boolean {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error(`ffmpeg output is not a JPEG (${jpeg.length} bytes)`);
  if (!store.getBucket(destBucket)) return false;
  store.putObjectBytes(destBucket, key, [jpeg], { contentType: SNAPSHOT_CONTENT_TYPE, lastModifiedMs: clock.now() });
  return true;
}
