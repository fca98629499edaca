/**
 * Splits a publish name into stream name and raw query. The query normally rides on the publish name
 * (ffmpeg, SDK URLs, OBS stream keys); users who paste it into OBS's Server field send it on app/tcUrl instead.
 * Nothing is decoded: signatures contain '+', '/', '=' whose encoding the verifier must see as sent.
 */
export function splitPublishName(publishName: string, app: string, tcUrl: string): { streamName: string; rawQuery: string } {
  const q = publishName.indexOf('?');
  if (q >= 0) return { streamName: publishName.slice(0, q), rawQuery: publishName.slice(q + 1) };
  return { streamName: publishName, rawQuery: queryOf(app) || queryOf(tcUrl) };
}

function queryOf(s: string): string {
  const q = s.indexOf('?');
  return q >= 0 ? s.slice(q + 1) : '';
}
