/**
 * The live playlist-name rule, in one place: PutLiveChannel's Target/PlaylistName and a push URL's `playlistName`
 * parameter. OSS: no `/`, 6-128 characters, ending in lowercase `.m3u8` (EC 0044-00000016/17/18, checked in that order).
 * Characters are counted as code points, so an emoji is one character (not two UTF-16 units).
 */
export const PLAYLIST_SUFFIX = '.m3u8';
export const PLAYLIST_NAME_MIN_CHARS = 6;
export const PLAYLIST_NAME_MAX_CHARS = 128;

export type PlaylistNameProblem = { kind: 'slash' } | { kind: 'length'; chars: number } | { kind: 'suffix' };

/** What is wrong with a live playlist name, or undefined when it is valid. */
export function livePlaylistNameProblem(name: string): PlaylistNameProblem | undefined {
  if (name.includes('/')) return { kind: 'slash' };
  const chars = [...name].length;
  if (chars < PLAYLIST_NAME_MIN_CHARS || chars > PLAYLIST_NAME_MAX_CHARS) return { kind: 'length', chars };
  if (!name.endsWith(PLAYLIST_SUFFIX)) return { kind: 'suffix' };
  return undefined;
}
