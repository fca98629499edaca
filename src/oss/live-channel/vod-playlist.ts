import { queryValue, type QueryPairs } from '../wire/request-target.js';
import { renderVodPlaylist } from '../../media/hls/m3u8.js';
import type { SegmentRow } from '../../store/rows.js';
import type { Store } from '../../store/store.js';
import { ossErrors } from '../wire/errors.js';
import { encodeKey } from './channel-urls.js';

/** A VOD window in Unix seconds, both ends inclusive. */
export interface VodSpan {
  startSec: number;
  endSec: number;
}

const MAX_SPAN_SEC = 86_400;
const EC_START_TIME = 304;
const EC_NO_TS = 308;

const unixSeconds = (raw: string | undefined): number | undefined =>
  raw !== undefined && /^\d{1,12}$/.test(raw) ? Number(raw) : undefined;

/**
 * `startTime`/`endTime` of Post/GetVodPlaylist as integers (a bad startTime has EC 0044-00000304; the endTime errors carry
 * none). Whether the span itself is acceptable is {@link segmentsInVodSpan}'s call, after its own check.
 */
export function parseVodSpan(query: QueryPairs): VodSpan {
  const rawStart = queryValue(query, 'startTime');
  const startSec = unixSeconds(rawStart);
  if (startSec === undefined || startSec <= 0) {
    throw ossErrors.liveArgument(
      `The startTime must be a positive integer (Unix seconds), got ${JSON.stringify(rawStart ?? '')}.`,
      EC_START_TIME,
      'startTime',
      rawStart ?? '',
    );
  }
  const rawEnd = queryValue(query, 'endTime');
  const endSec = unixSeconds(rawEnd);
  if (endSec === undefined)
    throw endTimeError(`The endTime must be an integer (Unix seconds), got ${JSON.stringify(rawEnd ?? '')}.`, rawEnd);
  return { startSec, endSec };
}

const endTimeError = (message: string, rawEnd: string | undefined) =>
  ossErrors.invalidArgument(message, [
    ['ArgumentName', 'endTime'],
    ['ArgumentValue', rawEnd ?? ''],
  ]);

/**
 * The channel's segments, across publishes, whose start lies in the span. The span has one-second resolution, so a
 * segment that starts anywhere inside the endTime second is in (`[start*1000, end*1000 + 999]` ms).
 *
 * OSS answers "no ts file in the span" (400, EC 0044-00000308) before judging the span: ali-oss's own test posts
 * `startTime == endTime` (both `now` in seconds) and expects exactly that error. Only a span that holds segments is
 * then held to 0 < start < end and end - start <= one day (the C++ SDK allows 86400 and refuses 86401).
 */
export function segmentsInVodSpan(store: Store, bucket: string, channel: string, span: VodSpan): SegmentRow[] {
  const segments = span.endSec < span.startSec ? [] : store.segmentsInSpan(bucket, channel, span.startSec * 1000, span.endSec * 1000 + 999);
  if (segments.length === 0) throw ossErrors.liveArgument('No ts file found in specified time span.', EC_NO_TS);
  const { startSec, endSec } = span;
  if (endSec <= startSec) throw endTimeError(`The endTime (${endSec}) must be greater than the startTime (${startSec}).`, String(endSec));
  if (endSec - startSec > MAX_SPAN_SEC) {
    throw endTimeError(
      `The span from startTime to endTime must not exceed ${MAX_SPAN_SEC} seconds, got ${endSec - startSec}.`,
      String(endSec),
    );
  }
  return segments;
}

/**
 * The VOD m3u8 for segments, with URIs relative to the channel folder `<channel>/` (where PostVodPlaylist writes it and
 * the segments live): `<channel>/<name>.ts` is listed as `<name>.ts`, as in OSS's GetVodPlaylist sample. A segment that
 * starts another publish is preceded by `#EXT-X-DISCONTINUITY`.
 */
export function vodPlaylistText(channel: string, segments: readonly SegmentRow[]): string {
  const folder = `${channel}/`;
  return renderVodPlaylist(
    segments.map((s, i) => ({
      uri: s.key.startsWith(folder) ? encodeKey(s.key.slice(folder.length)) : `../${encodeKey(s.key)}`,
      durationSec: s.durationMs / 1000,
      // Each publish starts its own timestamps (and maybe other encoder settings): players must reset there.
      discontinuity: i > 0 && s.publishId !== segments[i - 1]!.publishId,
    })),
  );
}
