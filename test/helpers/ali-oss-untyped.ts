import type OSS from 'ali-oss';

/**
 * ali-oss methods @types/ali-oss does not declare (getObjectTagging, putBucketTags, putBucketEncryption, …): the real
 * client, called by name, its answer loosely typed. Tests assert on the fields they read.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type UntypedOss = Record<string, (...args: any[]) => Promise<any>>;

export const untyped = (client: OSS): UntypedOss => client as unknown as UntypedOss;
