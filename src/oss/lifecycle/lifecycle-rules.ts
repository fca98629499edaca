import { randomUUID } from 'node:crypto';
import type { ObjectTags } from '../../store/rows.js';
import { ossErrors } from '../wire/errors.js';
import { isObjectTagText } from '../tagging/tagging.js';
import { childNode, childNodes, childText, parseXmlBody, type XmlChild, type XmlNode } from '../wire/xml.js';

/** A time condition: after N days since last modification, or for objects last modified before a date (UTC midnight). */
export interface LifecycleWhen {
  days?: number;
  createdBeforeDate?: string;
  /** Expiration only: the deprecated absolute `Date` form (objects last modified before it expire). */
  date?: string;
}

export interface LifecycleRule {
  id: string;
  prefix: string;
  status: 'Enabled' | 'Disabled';
  expiration?: LifecycleWhen & { expiredObjectDeleteMarker?: boolean };
  transitions: Array<LifecycleWhen & { storageClass: string; isAccessTime?: boolean }>;
  abortMultipartUpload?: LifecycleWhen;
  tags: ObjectTags;
  /** Filter/Not: objects under this prefix (and with this tag, when given) are left alone. */
  not?: { prefix: string; tag?: readonly [string, string] };
}

export interface LifecycleConfiguration {
  rules: LifecycleRule[];
}

const MAX_RULES = 1000;
const DAY_MS = 86_400_000;
const STORAGE_CLASSES = new Set(['IA', 'Archive', 'ColdArchive', 'DeepColdArchive']);
const MIDNIGHT = /^\d{4}-\d{2}-\d{2}T00:00:00(\.000)?Z$/;

const invalid = (message: string, name?: string, value?: string) =>
  ossErrors.invalidArgument(
    message,
    name === undefined
      ? []
      : [
          ['ArgumentName', name],
          ['ArgumentValue', value ?? ''],
        ],
  );

function whenOf(node: XmlNode, what: string, allowDate: boolean): LifecycleWhen {
  const days = childText(node, 'Days');
  const before = childText(node, 'CreatedBeforeDate');
  const date = allowDate ? childText(node, 'Date') : undefined;
  const given = [days, before, date].filter((v) => v !== undefined).length;
  if (given !== 1) throw invalid(`${what} must have exactly one of Days or CreatedBeforeDate.`, what);
  if (days !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(days)) throw invalid(`${what} Days must be a positive integer.`, `${what}.Days`, days);
    return { days: Number(days) };
  }
  const value = (before ?? date)!;
  if (!MIDNIGHT.test(value) || Number.isNaN(Date.parse(value))) {
    throw invalid(`${what} date must be ISO 8601 at midnight UTC, like 2024-01-01T00:00:00.000Z.`, `${what}.CreatedBeforeDate`, value);
  }
  return before !== undefined ? { createdBeforeDate: value } : { date: value };
}

/**
 * A rule's tag filter: the characters of object tags are checked (InvalidTag), their lengths are not (oss2's
 * test_lifecycle_object_tagging_exceptions_* put a 129-byte key and a 257-byte value without error, `%&` and `)%`
 * with one; OSS documents neither).
 */
function tagOf(node: XmlNode): readonly [string, string] {
  const key = childText(node, 'Key');
  if (key === undefined || key === '') throw ossErrors.malformedXml();
  const value = childText(node, 'Value') ?? '';
  if (!isObjectTagText(key)) throw ossErrors.invalidTag(`The TagKey you have provided is invalid: ${key}`);
  if (!isObjectTagText(value)) throw ossErrors.invalidTag(`The TagValue you have provided is invalid: ${value}`);
  return [key, value];
}

/** Transition targets from warm to cold: a colder class must come later (more Days) than a warmer one in a rule. */
const COLDNESS = ['IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];

function parseRule(node: XmlNode): LifecycleRule {
  if (typeof node === 'string') throw ossErrors.malformedXml();
  const id = childText(node, 'ID') || randomUUID();
  if (Buffer.byteLength(id) > 255) throw invalid('Rule ID must be at most 255 bytes.', 'ID', id);
  const filter = childNode(node, 'Filter');
  if (Array.isArray(filter)) throw ossErrors.malformedXml();
  const prefix = childText(node, 'Prefix') ?? (filter !== undefined ? childText(filter, 'Prefix') : undefined) ?? '';
  const status = childText(node, 'Status');
  if (status !== 'Enabled' && status !== 'Disabled') throw ossErrors.malformedXml();
  const rule: LifecycleRule = { id, prefix, status, transitions: [], tags: childNodes(node, 'Tag').map(tagOf) };

  const expiration = childNode(node, 'Expiration');
  if (Array.isArray(expiration)) throw ossErrors.malformedXml();
  if (expiration !== undefined) {
    const marker = childText(expiration, 'ExpiredObjectDeleteMarker');
    if (marker !== undefined) {
      if (marker !== 'true' && marker !== 'false')
        throw invalid('ExpiredObjectDeleteMarker must be true or false.', 'ExpiredObjectDeleteMarker', marker);
      rule.expiration = { expiredObjectDeleteMarker: marker === 'true' };
      if (childText(expiration, 'Days') !== undefined || childText(expiration, 'CreatedBeforeDate') !== undefined) {
        throw invalid('ExpiredObjectDeleteMarker cannot be used with Days or CreatedBeforeDate.', 'Expiration');
      }
    } else {
      rule.expiration = whenOf(expiration, 'Expiration', true);
    }
  }
  for (const t of childNodes(node, 'Transition')) {
    const storageClass = childText(t, 'StorageClass') ?? '';
    if (!STORAGE_CLASSES.has(storageClass))
      throw invalid(`Transition StorageClass must be IA, Archive, ColdArchive or DeepColdArchive.`, 'StorageClass', storageClass);
    const isAccessTime = childText(t, 'IsAccessTime');
    rule.transitions.push({
      ...whenOf(t, 'Transition', false),
      storageClass,
      ...(isAccessTime !== undefined && { isAccessTime: isAccessTime === 'true' }),
    });
  }
  const abort = childNode(node, 'AbortMultipartUpload');
  if (Array.isArray(abort)) throw ossErrors.malformedXml();
  if (abort !== undefined) rule.abortMultipartUpload = whenOf(abort, 'AbortMultipartUpload', false);

  const not = filter !== undefined ? childNode(filter, 'Not') : undefined;
  if (Array.isArray(not)) throw ossErrors.malformedXml();
  if (not !== undefined) {
    const notPrefix = childText(not, 'Prefix') ?? '';
    if (!notPrefix.startsWith(prefix) || notPrefix === prefix)
      throw invalid('Filter/Not Prefix must start with, and be longer than, the rule Prefix.', 'Not.Prefix', notPrefix);
    const tag = childNode(not, 'Tag');
    if (Array.isArray(tag)) throw ossErrors.malformedXml();
    rule.not = { prefix: notPrefix, ...(tag !== undefined && { tag: tagOf(tag) }) };
  }

  if (!rule.expiration && rule.transitions.length === 0 && !rule.abortMultipartUpload) {
    const noncurrent = childNode(node, 'NoncurrentVersionExpiration') ?? childNode(node, 'NoncurrentVersionTransition');
    if (noncurrent !== undefined) throw ossErrors.notImplemented('Lifecycle rules for noncurrent versions (versioning)');
    throw invalid('A rule must have at least one of Expiration, Transition or AbortMultipartUpload.', 'Rule', id);
  }
  if (rule.tags.length > 0 && rule.abortMultipartUpload) throw invalid('Tag cannot be used with AbortMultipartUpload.', 'Tag');
  const expireDays = rule.expiration?.days;
  for (const t of rule.transitions) {
    for (const other of rule.transitions) {
      const colder = COLDNESS.indexOf(t.storageClass) > COLDNESS.indexOf(other.storageClass);
      if (colder && t.days !== undefined && other.days !== undefined && t.days <= other.days) {
        throw invalid(
          `Days of the Transition to ${t.storageClass} must be greater than Days of the Transition to ${other.storageClass}.`,
          'Transition.Days',
          String(t.days),
        );
      }
    }
    if (expireDays !== undefined && t.days !== undefined && t.days >= expireDays) {
      throw invalid('Days in the Expiration action must be greater than Days in the Transition action.', 'Transition.Days', String(t.days));
    }
  }
  return rule;
}

/** PutBucketLifecycle body -> configuration, validated as OSS does (MalformedXML / InvalidArgument). */
export function parseLifecycleConfiguration(body: Buffer): LifecycleConfiguration {
  const root = parseXmlBody(body, 'LifecycleConfiguration');
  const ruleNodes = typeof root === 'string' ? [] : childNodes(root, 'Rule');
  if (ruleNodes.length === 0) throw ossErrors.malformedXml();
  if (ruleNodes.length > MAX_RULES) throw invalid(`At most ${MAX_RULES} lifecycle rules.`);
  const rules = ruleNodes.map(parseRule);
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.id)) throw invalid(`Rule ID must be unique: ${rule.id}`, 'ID', rule.id);
    ids.add(rule.id);
  }
  return { rules };
}

const whenXml = (w: LifecycleWhen): XmlChild[] => [
  w.days !== undefined && ['Days', w.days],
  w.createdBeforeDate !== undefined && ['CreatedBeforeDate', w.createdBeforeDate],
  w.date !== undefined && ['Date', w.date],
];
const tagXml = ([key, value]: readonly [string, string]): XmlChild => [
  'Tag',
  [
    ['Key', key],
    ['Value', value],
  ],
];

/** GetBucketLifecycle body: rules in the order put, elements in OSS's order. */
export function lifecycleConfigurationXml(config: LifecycleConfiguration): XmlChild[] {
  return config.rules.map((r): XmlChild => [
    'Rule',
    [
      ['ID', r.id],
      ['Prefix', r.prefix],
      ['Status', r.status],
      r.expiration !== undefined && [
        'Expiration',
        r.expiration.expiredObjectDeleteMarker !== undefined
          ? [['ExpiredObjectDeleteMarker', r.expiration.expiredObjectDeleteMarker]]
          : whenXml(r.expiration),
      ],
      ...r.transitions.map((t): XmlChild => [
        'Transition',
        [...whenXml(t), ['StorageClass', t.storageClass], t.isAccessTime !== undefined && ['IsAccessTime', t.isAccessTime]],
      ]),
      r.abortMultipartUpload !== undefined && ['AbortMultipartUpload', whenXml(r.abortMultipartUpload)],
      ...r.tags.map(tagXml),
      r.not !== undefined && ['Filter', [['Not', [['Prefix', r.not.prefix], r.not.tag !== undefined && tagXml(r.not.tag)]]]],
    ],
  ]);
}

/** The last-modified time before which an object (or upload) is expired by `when` at `nowMs`; undefined = none yet. */
export function expiryCutoff(when: LifecycleWhen, nowMs: number): number | undefined {
  if (when.days !== undefined) return nowMs - when.days * DAY_MS;
  const date = Date.parse((when.createdBeforeDate ?? when.date)!);
  return date;
}

/** Whether an object's key and tags fall under the rule (prefix, every rule tag, not excluded by Filter/Not). */
export function ruleApplies(rule: LifecycleRule, key: string, tags: ObjectTags): boolean {
  if (!key.startsWith(rule.prefix)) return false;
  const has = ([k, v]: readonly [string, string]) => tags.some(([tk, tv]) => tk === k && tv === v);
  if (!rule.tags.every(has)) return false;
  if (rule.not && key.startsWith(rule.not.prefix) && (rule.not.tag === undefined || has(rule.not.tag))) return false;
  return true;
}
