/** OSS rejects header-signed requests whose time is more than 15 minutes from the server's (RequestTimeTooSkewed). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const RFC1123 = /^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * Milliseconds since the epoch for `Thu, 25 Aug 2016 06:22:01 GMT` (Date, ali-oss V1 x-oss-date) or
 * `20250417T120000Z` (V4 x-oss-date, also accepted in V1 per OSS EC 0002-00000503); undefined otherwise.
 */
export function parseRequestTime(value: string): number | undefined {
  // Clients stamp every request of the same second with the same text: parse it once.
  if (value === lastValue) return lastMs;
  const ms = parse(value);
  lastValue = value;
  lastMs = ms;
  return ms;
}

let lastValue: string | undefined;
let lastMs: number | undefined;

function parse(value: string): number | undefined {
  if (RFC1123.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const m = ISO_BASIC.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Reject rollovers such as month 13 that Date.UTC would silently accept.
  return new Date(ms).getUTCMonth() === mo - 1 && new Date(ms).getUTCDate() === d ? ms : undefined;
}

/** ISO 8601 with .000Z, the form OSS uses in bodies, for RequestTimeTooSkewed's ServerTime. */
export function formatServerTime(nowMs: number): string {
  return new Date(Math.floor(nowMs / 1000) * 1000).toISOString();
}
