import { ossErrors } from '../wire/errors.js';
import { childNode, childText, parseXmlBody, type XmlNode } from '../wire/xml.js';
import { type Operation } from '../operation.js';
import { isArchived } from '../objects/storage-class.js';
import { restoreStatus } from '../objects/restore-state.js';
import { existingObject } from './get-object.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * POST /key?restore: makes an Archive/ColdArchive/DeepColdArchive object readable for <Days> days. 202 when a
 * restore starts, 409 RestoreAlreadyInProgress while it runs, 200 once restored (the expiry moves). The restore
 * takes `restoreDelayMs` (--restore-delay-ms) on the emulator's clock.
 */
export const restoreObject: Operation = async (ctx) => {
  const row = existingObject(ctx);
  const { store, clock, config } = ctx.services;
  if (!isArchived(row.storageClass)) throw ossErrors.operationNotSupported('The operation is not supported for this resource');
  const body = await ctx.readBody(64 * 1024);
  let days = 1;
  let tier: string | undefined;
  if (body.length > 0) {
    const request = parseXmlBody(body, 'RestoreRequest');
    tier = restoreTier(request, row.storageClass);
    const raw = childText(request, 'Days');
    if (raw !== undefined) {
      if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 365) {
        throw ossErrors.invalidArgument('The Days must be an integer between 1 and 365.', [
          ['ArgumentName', 'Days'],
          ['ArgumentValue', raw],
        ]);
      }
      days = Number(raw);
    }
  }
  const now = clock.now();
  const status = restoreStatus(row, now);
  if (status === 'ongoing') throw ossErrors.restoreAlreadyInProgress();
  if (status === 'restored') {
    store.setObjectRestore(row.bucket, row.key, { readyMs: row.restore!.readyMs, expiryMs: now + days * DAY_MS });
    return { status: 200, headers: priorityHeader(row.storageClass, tier) };
  }
  const readyMs = now + config.restoreDelayMs;
  store.setObjectRestore(row.bucket, row.key, { readyMs, expiryMs: readyMs + days * DAY_MS });
  return { status: 202, headers: priorityHeader(row.storageClass, tier) };
};

const TIERS = ['Expedited', 'Standard', 'Bulk'];

/**
 * `<JobParameters><Tier>` of a RestoreRequest: Expedited, Standard or Bulk for Cold/Deep Cold Archive objects
 * (InvalidArgument, EC 0016-00000703, otherwise). An Archive object takes no JobParameters: OSS answers MalformedXML
 * (undocumented; oss2's test_restore_archive_object_with_job_parameters is the evidence).
 */
function restoreTier(request: XmlNode, storageClass: string): string | undefined {
  const job = typeof request === 'string' ? undefined : childNode(request, 'JobParameters');
  if (job === undefined) return undefined;
  if (storageClass === 'Archive' || Array.isArray(job)) throw ossErrors.malformedXml();
  const tier = childText(job, 'Tier') ?? '';
  if (!TIERS.includes(tier)) {
    throw ossErrors.invalidArgument(
      'The Tier is invalid.',
      [
        ['ArgumentName', 'Tier'],
        ['ArgumentValue', tier],
      ],
      '0016-00000703',
    );
  }
  return tier;
}

/** Cold and Deep Cold Archive restores answer with their priority (Standard when the request names none). */
const priorityHeader = (storageClass: string, tier: string | undefined): Record<string, string> =>
  storageClass === 'Archive' ? {} : { 'x-oss-object-restore-priority': tier ?? 'Standard' };
