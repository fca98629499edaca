import { CONFIG_BODY_MAX_BYTES, readBucketConfig, writeBucketConfig } from '../bucket-config-docs.js';
import { SSE_ALGORITHMS } from '../objects/server-side-encryption.js';
import { requireBucket, type Operation } from '../operation.js';
import { ossErrors, type OssError } from '../wire/errors.js';
import { childNode, childText, parseXmlBody, xmlNodeChildren, type XmlNode, type XmlValue } from '../wire/xml.js';
import type { BucketConfigKind } from '../../store/bucket-configs.js';

/**
 * Bucket configuration documents the emulator validates, stores and returns but does not act on (encryption,
 * logging, website): one Put/Get/Delete triple per kind, from a small description.
 */
interface StoredDocument {
  kind: BucketConfigKind;
  root: string;
  /** Throws the OSS error for a document OSS would refuse; returns what is stored. */
  validate(node: XmlNode, ctx: Parameters<Operation>[0]): XmlNode;
  /** What Get answers without a document: an error, or an empty document. */
  missing(bucket: string): OssError | XmlValue;
}

function storedDocumentOperations(doc: StoredDocument): { put: Operation; get: Operation; delete: Operation } {
  return {
    put: async (ctx) => {
      const bucket = requireBucket(ctx);
      const node = doc.validate(parseXmlBody(await ctx.readBody(CONFIG_BODY_MAX_BYTES), doc.root), ctx);
      writeBucketConfig(ctx.services.store, bucket.name, doc.kind, node);
      return {};
    },
    get: (ctx) => {
      const bucket = requireBucket(ctx);
      const node = readBucketConfig<XmlNode>(ctx.services.store, bucket.name, doc.kind);
      if (node === undefined) {
        const missing = doc.missing(bucket.name);
        if (missing instanceof Error) throw missing;
        return { xml: { root: doc.root, children: missing } };
      }
      return { xml: { root: doc.root, children: xmlNodeChildren(node) } };
    },
    delete: (ctx) => {
      const bucket = requireBucket(ctx);
      ctx.services.store.bucketConfigs.delete(bucket.name, doc.kind);
      return { status: 204 };
    },
  };
}

/** PutBucketEncryption / GetBucketEncryption / DeleteBucketEncryption: stored only (objects are not encrypted). */
export const bucketEncryption = storedDocumentOperations({
  kind: 'encryption',
  root: 'ServerSideEncryptionRule',
  validate(node) {
    const apply = childNode(node, 'ApplyServerSideEncryptionByDefault');
    if (apply === undefined || Array.isArray(apply) || typeof apply === 'string') throw ossErrors.malformedXml();
    const algorithm = childText(apply, 'SSEAlgorithm') ?? '';
    if (!SSE_ALGORITHMS.includes(algorithm)) {
      throw ossErrors.invalidArgument('SSEAlgorithm must be AES256, KMS or SM4.', [
        ['ArgumentName', 'SSEAlgorithm'],
        ['ArgumentValue', algorithm],
      ]);
    }
    const keyId = childText(apply, 'KMSMasterKeyID');
    if (keyId && algorithm !== 'KMS') {
      throw ossErrors.invalidArgument('KMSMasterKeyID is allowed only with SSEAlgorithm KMS.', [
        ['ArgumentName', 'KMSMasterKeyID'],
        ['ArgumentValue', keyId],
      ]);
    }
    const dataEncryption = childText(apply, 'KMSDataEncryption');
    return {
      ApplyServerSideEncryptionByDefault: {
        SSEAlgorithm: algorithm,
        ...(keyId !== undefined && { KMSMasterKeyID: keyId }),
        ...(dataEncryption !== undefined && { KMSDataEncryption: dataEncryption }),
      },
    };
  },
  missing: (bucket) => ossErrors.noSuchServerSideEncryptionRule(bucket),
});

/** PutBucketLogging / GetBucketLogging / DeleteBucketLogging: stored only (no access logs are written). */
export const bucketLogging = storedDocumentOperations({
  kind: 'logging',
  root: 'BucketLoggingStatus',
  validate(node, ctx): XmlNode {
    const enabled = childNode(node, 'LoggingEnabled');
    if (enabled === undefined || enabled === '') return {};
    if (Array.isArray(enabled) || typeof enabled === 'string') throw ossErrors.malformedXml();
    const target = childText(enabled, 'TargetBucket');
    if (!target) throw ossErrors.malformedXml();
    if (!ctx.services.store.getBucket(target)) {
      throw ossErrors.invalidTargetBucketForLogging(target);
    }
    const prefix = childText(enabled, 'TargetPrefix');
    return { LoggingEnabled: { TargetBucket: target, ...(prefix !== undefined && { TargetPrefix: prefix }) } };
  },
  missing: () => [],
});

/** PutBucketWebsite / GetBucketWebsite / DeleteBucketWebsite: stored only (no static website hosting). */
export const bucketWebsite = storedDocumentOperations({
  kind: 'website',
  root: 'WebsiteConfiguration',
  validate(node) {
    if (typeof node === 'string') throw ossErrors.malformedXml();
    const index = childNode(node, 'IndexDocument');
    const error = childNode(node, 'ErrorDocument');
    const routing = childNode(node, 'RoutingRules');
    if (index === undefined && error === undefined && routing === undefined) throw ossErrors.malformedXml();
    if (index !== undefined && (typeof index === 'string' || Array.isArray(index) || !childText(index, 'Suffix')))
      throw ossErrors.malformedXml();
    return node;
  },
  missing: (bucket) => ossErrors.noSuchWebsiteConfiguration(bucket),
});
