/**
 * response-* overrides of GetObject come percent-decoded from the query and may hold any character; an HTTP header
 * may not (Node throws on anything outside Latin-1 or on control characters: a 500 before this). Content-Disposition
 * gets RFC 6266 / RFC 5987 treatment (an ASCII `filename` fallback plus `filename*=UTF-8''…`), the way browsers expect
 * a non-ASCII download name; other headers get their non-ASCII characters percent-encoded.
 */
const HEADER_SAFE = /^[\t\x20-\x7e]*$/;

/** RFC 5987 attr-char encoding: encodeURIComponent leaves ' ( ) * ! alone, which attr-char does not allow. */
const rfc5987 = (s: string): string => encodeURIComponent(s).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const percentNonAscii = (s: string): string => s.replace(/[^\t\x20-\x7e]/gu, (c) => encodeURIComponent(c));

const unquote = (v: string): string => (v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v);

/** `报告.pdf` -> `__.pdf`: what a client that ignores filename* shows. */
const asciiFallback = (s: string): string => s.replace(/[^\x20-\x7e]/gu, '_').replace(/["\\]/g, '_');

export function contentDispositionValue(value: string): string {
  if (HEADER_SAFE.test(value)) return value;
  const out: string[] = [];
  for (const part of value
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq === -1) {
      out.push(percentNonAscii(part));
      continue;
    }
    const name = part.slice(0, eq).trim();
    const raw = unquote(part.slice(eq + 1).trim());
    const lower = name.toLowerCase();
    if (HEADER_SAFE.test(part)) out.push(part);
    else if (lower === 'filename') out.push(`filename="${asciiFallback(raw)}"`, `filename*=UTF-8''${rfc5987(raw)}`);
    else if (lower === 'filename*') out.push(`filename*=UTF-8''${rfc5987(raw.replace(/^UTF-8''/i, ''))}`);
    else out.push(`${name}=${percentNonAscii(part.slice(eq + 1).trim())}`);
  }
  // A filename* given alongside a plain filename must not appear twice.
  return [...new Set(out)].join('; ');
}

/** The header value to send for a response-<name> override. */
export function responseHeaderValue(name: string, value: string): string {
  if (HEADER_SAFE.test(value)) return value;
  return name === 'content-disposition' ? contentDispositionValue(value) : percentNonAscii(value);
}
