import type { XmlChild } from './xml.js';
import type { BucketAcl } from '../../store/rows.js';
import { ossErrors, type OssError } from './errors.js';

/** OSS timestamps: ISO 8601 with a literal `.000Z` (oss2's parser requires exactly that). */
export const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString();

/** RFC 1123, for Last-Modified. */
export const httpDate = (ms: number): string => new Date(ms).toUTCString();

/** The emulator has one account; it owns every bucket. */
export const OWNER_ID = '1000000000000000';
export const ownerXml: XmlChild = [
  'Owner',
  [
    ['ID', OWNER_ID],
    ['DisplayName', OWNER_ID],
  ],
];

export const REGION = 'cn-hangzhou';
export const LOCATION = `oss-${REGION}`;

const BUCKET_ACLS: readonly BucketAcl[] = ['private', 'public-read', 'public-read-write'];

export function parseBucketAcl(value: string | undefined, fallback: BucketAcl): BucketAcl {
  if (value === undefined || value === '') return fallback;
  if ((BUCKET_ACLS as readonly string[]).includes(value)) return value as BucketAcl;
  throw ossErrors.invalidArgument('no such bucket access control exists', [
    ['ArgumentName', 'x-oss-acl'],
    ['ArgumentValue', value],
  ]);
}

/**
 * `max-keys` (and max-parts, max-uploads): integer in [1, limit], default when absent or empty (oss2 always sends
 * `max-keys=`). `invalid` builds the error when the operation has its own (ListLiveChannel: EC 0044-00000101).
 */
export function parseMaxKeys(
  raw: string | undefined,
  defaultValue: number,
  limit: number,
  name = 'max-keys',
  invalid?: (raw: string) => OssError,
): number {
  if (raw === undefined || raw === '') return defaultValue;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1 || n > limit) {
    if (invalid) throw invalid(raw);
    throw ossErrors.invalidArgument(`Argument ${name} must be an integer between 1 and ${limit}.`, [
      ['ArgumentName', name],
      ['ArgumentValue', raw],
    ]);
  }
  return n;
}

/** Bucket names as OSS allows them: 3-63 characters, lower-case letters, digits and hyphens, no hyphen at either end. */
export function validateBucketName(name: string): void {
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name)) throw ossErrors.invalidBucketName(name);
}
