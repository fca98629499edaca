import type { ObjectRow } from '../../store/rows.js';

export type RestoreStatus = 'none' | 'ongoing' | 'restored';

/** Where an archived object's restore stands at `nowMs` (a finished restore expires after its Days). */
export function restoreStatus(row: ObjectRow, nowMs: number): RestoreStatus {
  const r = row.restore;
  if (!r || nowMs >= r.expiryMs) return 'none';
  return nowMs >= r.readyMs ? 'restored' : 'ongoing';
}

/** `x-oss-restore` as OSS sends it on Get/HeadObject of an archived object once a restore was asked for. */
export function restoreHeader(row: ObjectRow, nowMs: number): string | undefined {
  const status = restoreStatus(row, nowMs);
  if (status === 'ongoing') return 'ongoing-request="true"';
  if (status === 'restored') return `ongoing-request="false", expiry-date="${new Date(row.restore!.expiryMs).toUTCString()}"`;
  return undefined;
}
