import type { IncomingHttpHeaders } from 'node:http';
import { ossErrors } from '../wire/errors.js';

export const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'] as const;

/** Classes whose objects must be restored before they can be read. */
const ARCHIVED = new Set<string>(['Archive', 'ColdArchive', 'DeepColdArchive']);
export const isArchived = (storageClass: string): boolean => ARCHIVED.has(storageClass);

/** `x-oss-storage-class` of a Put/Copy/Initiate: one of the OSS classes, else the bucket's class. */
export function storageClassOf(headers: IncomingHttpHeaders, bucketClass: string): string {
  const raw = headers['x-oss-storage-class'];
  if (raw === undefined || raw === '') return bucketClass;
  const value = String(raw);
  const known = STORAGE_CLASSES.find((c) => c.toLowerCase() === value.toLowerCase());
  if (!known) {
    throw ossErrors.invalidArgument(`Invalid storage class: ${value}`, [
      ['ArgumentName', 'x-oss-storage-class'],
      ['ArgumentValue', value],
    ]);
  }
  return known;
}
