/** HLS playlists as OSS writes them (live, and GetVodPlaylist/PostVodPlaylist VOD): pure string building. */

/** Content-Type of every playlist object the emulator writes (live and VOD), as GetVodPlaylist answers. */
export const M3U8_CONTENT_TYPE = 'application/x-mpegURL';

export interface PlaylistSegment {
  /** Relative ts name, e.g. `1543895706266.ts`. */
  uri: string;
  durationSec: number;
  /** Timestamps restart before this segment (a new publish, a jump in one): `#EXT-X-DISCONTINUITY` precedes it. */
  discontinuity?: boolean;
}

export function renderLivePlaylist(opts: {
  segments: readonly PlaylistSegment[];
  /** Index of the first listed segment since the push began. */
  mediaSequence: number;
  /** The push is over: append #EXT-X-ENDLIST. */
  ended: boolean;
  /** Discontinuities that slid out of the window (RFC 8216 EXT-X-DISCONTINUITY-SEQUENCE); written when > 0. */
  discontinuitySequence?: number;
}): string {
  if (!Number.isInteger(opts.mediaSequence) || opts.mediaSequence < 0) {
    throw new RangeError(`mediaSequence must be a non-negative integer, got ${opts.mediaSequence}`);
  }
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-MEDIA-SEQUENCE:${opts.mediaSequence}`,
    `#EXT-X-TARGETDURATION:${targetDuration(opts.segments)}`,
  ];
  if (opts.discontinuitySequence) lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${opts.discontinuitySequence}`);
  for (const s of opts.segments) {
    if (!Number.isFinite(s.durationSec) || s.durationSec < 0) {
      throw new RangeError(`segment ${s.uri} has duration ${s.durationSec}`);
    }
    // A line break in a URI would inject playlist tags.
    if (/[\r\n]/.test(s.uri)) throw new RangeError(`segment URI contains a line break: ${JSON.stringify(s.uri)}`);
    if (s.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(`#EXTINF:${s.durationSec.toFixed(3)},`, s.uri);
  }
  if (opts.ended) lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}

export function renderVodPlaylist(segments: readonly PlaylistSegment[]): string {
  return renderLivePlaylist({ segments, mediaSequence: 0, ended: true });
}

/** Longest EXTINF rounded to the nearest integer (the HLS v3 rule; OSS's sample: 13.320 -> 13), at least 1. */
function targetDuration(segments: readonly PlaylistSegment[]): number {
  let longest = 0;
  // Round what EXTINF prints (13.4996 prints 13.500), so a player's own rounding never exceeds the target.
  for (const s of segments) longest = Math.max(longest, Number(s.durationSec.toFixed(3)));
  return Math.max(1, Math.round(longest));
}
