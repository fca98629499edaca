/**
 * One page of an OSS-style listing (ListObjects, ListObjectsV2, and any listing with prefix/delimiter/marker such as
 * ListMultipartUploads): entries in byte order, keys holding the delimiter after the prefix rolled up into
 * CommonPrefixes, at most maxKeys entries (keys + prefixes), resuming strictly after `after`.
 *
 * A CommonPrefix is one entry placed at its own position in the order: when the marker is a CommonPrefix (the previous
 * page's NextMarker) or lies inside one, the whole prefix was already listed, so the page starts after all of it.
 * Otherwise oss2's ObjectIterator at max_keys=1 gets the same folder forever.
 */
export interface PageQuery {
  prefix: string;
  delimiter: string;
  /** Entries strictly after this one ('' = from the start). */
  after: string;
  maxKeys: number;
}

export interface ListingPage<T> {
  items: T[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or CommonPrefix returned when truncated: the next page's marker. */
  nextMarker: string | undefined;
}

/**
 * Rows in key order with `key > after` and `key >= from`. The pager calls it again with a higher `from` to jump over a
 * CommonPrefix instead of reading every key inside it.
 */
export type KeyScan<T> = (after: string, from: string) => Iterable<{ key: string; item: T }>;

/** The CommonPrefix `key` rolls up into, if any. */
export function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  if (!delimiter || !key.startsWith(prefix)) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}

/**
 * The smallest string greater than every string starting with `p` (in code-point order, which is UTF-8 byte order):
 * `p` with its last code point incremented. undefined when no such string exists.
 */
export function afterAllStartingWith(p: string): string | undefined {
  const points = Array.from(p);
  while (points.length > 0) {
    let next = points.pop()!.codePointAt(0)! + 1;
    if (next === 0xd800) next = 0xe000; // surrogates are not characters
    if (next <= 0x10ffff) return points.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

export function pageListing<T>(query: PageQuery, scan: KeyScan<T>): ListingPage<T> {
  const { prefix, delimiter, maxKeys } = query;
  const items: T[] = [];
  const commonPrefixes: string[] = [];
  let nextMarker: string | undefined;
  let isTruncated = false;

  let from: string | undefined = prefix;
  const markerPrefix = commonPrefixOf(query.after, prefix, delimiter);
  if (markerPrefix !== undefined) from = afterAllStartingWith(markerPrefix);

  scanning: while (from !== undefined) {
    for (const { key, item } of scan(query.after, from)) {
      if (!key.startsWith(prefix)) break scanning;
      if (items.length + commonPrefixes.length >= maxKeys) {
        isTruncated = true;
        break scanning;
      }
      const rolledUp = commonPrefixOf(key, prefix, delimiter);
      if (rolledUp === undefined) {
        items.push(item);
        nextMarker = key;
        continue;
      }
      commonPrefixes.push(rolledUp);
      nextMarker = rolledUp;
      from = afterAllStartingWith(rolledUp);
      continue scanning; // resume after the whole prefix
    }
    break;
  }
  return { items, commonPrefixes, isTruncated, nextMarker: isTruncated ? nextMarker : undefined };
}
