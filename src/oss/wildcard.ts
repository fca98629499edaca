/**
 * OSS rule patterns: `*` matches any run of characters (also none) and, where `questionMark` is set, `?` matches
 * exactly one (referer lists). Everything else is literal.
 */
export function wildcardMatches(pattern: string, value: string, options: { ignoreCase?: boolean; questionMark?: boolean } = {}): boolean {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' && options.questionMark ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, options.ignoreCase ? 'is' : 's').test(value);
}
