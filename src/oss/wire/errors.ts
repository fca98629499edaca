/**
 * The one OSS error type and the one factory that knows every Code, HTTP status and Message.
 * Throw sites pass only what differs; RequestId and HostId are filled in by the HTTP error handler.
 */
export class OssError extends Error {
  /** Extra response headers some errors carry (x-oss-next-append-position on PositionNotEqualToLength). */
  headers: Record<string, string> = {};

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra elements of the error body, in order (BucketName, StringToSign, …). */
    readonly extra: ReadonlyArray<readonly [string, string]> = [],
    /** OSS's EC code (`0044-00000308`), sent as `<EC>` and `x-oss-ec`. */
    readonly ec?: string,
  ) {
    // An OSS error is an answer, not a bug: no stack trace (capturing one costs more than the rest of a 404).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'OssError';
  }
}

const LIVE_EC = (n: number) => `0044-${String(n).padStart(8, '0')}`;

/**
 * EC codes OSS sends with these errors, as seen in SDK tests against real OSS: NoSuchKey (oss2 tests/test_exception_ec.py),
 * NoSuchBucket (go-sdk-v2 sample bodies), InvalidAccessKeyId (C++ SDK v2 sample body), SignatureDoesNotMatch of a V1
 * header (OSS troubleshooting page 0002-00000040), the V4 signing region (troubleshooting page 0002-00000226).
 */
export const EC = {
  noSuchKey: '0026-00000001',
  noSuchBucket: '0015-00000101',
  invalidAccessKeyId: '0002-00000902',
  signatureDoesNotMatchV1: '0002-00000040',
  invalidSigningRegion: '0002-00000226',
  contentMd5Mismatch: '0017-00000503',
} as const;

export const ossErrors = {
  // 400
  invalidArgument: (message: string, extra: ReadonlyArray<readonly [string, string]> = [], ec?: string) =>
    new OssError(400, 'InvalidArgument', message, extra, ec),
  liveArgument: (message: string, ecNumber: number, name?: string, value?: string) =>
    new OssError(
      400,
      'InvalidArgument',
      message,
      name === undefined
        ? []
        : [
            ['ArgumentName', name],
            ['ArgumentValue', value ?? ''],
          ],
      LIVE_EC(ecNumber),
    ),
  malformedXml: () =>
    new OssError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.'),
  invalidBucketName: (bucket: string) =>
    new OssError(400, 'InvalidBucketName', 'The specified bucket is not valid.', [['BucketName', bucket]]),
  invalidObjectName: (key: string) => new OssError(400, 'InvalidObjectName', 'The specified object is not valid.', [['ObjectName', key]]),
  invalidChannelName: (message: string) => new OssError(400, 'InvalidChannelName', message),
  invalidDigest: () => new OssError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.'),
  /**
   * Content-MD5 that does not match the body. OSS answers InvalidDigest here (not S3's BadDigest), EC 0017-00000503
   * (OSS troubleshooting page 0017-00000503; oss2's tests/test_multipart.py expects oss2.exceptions.InvalidDigest).
   */
  badDigest: () => new OssError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', [], EC.contentMd5Mismatch),
  entityTooLarge: (limit: number) =>
    new OssError(400, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed size of ${limit} bytes.`),
  invalidRequest: (message: string) => new OssError(400, 'InvalidRequest', message),
  tooManyBuckets: () => new OssError(400, 'TooManyBuckets', 'You have attempted to create more buckets than allowed.'),
  // 403
  accessDenied: (message = 'AccessDenied') => new OssError(403, 'AccessDenied', message),
  /** A bucket in the path of a request to an OSS service endpoint (`oss-<region>.aliyuncs.com/<bucket>/…`). */
  secondLevelDomainForbidden: () => new OssError(403, 'SecondLevelDomainForbidden', 'Please use virtual hosted style to access.'),
  anonymousDenied: () => new OssError(403, 'AccessDenied', 'Anonymous access is forbidden for this operation.'),
  invalidAccessKeyId: (accessKeyId: string) =>
    new OssError(
      403,
      'InvalidAccessKeyId',
      'The OSS Access Key Id you provided does not exist in our records.',
      [['OSSAccessKeyId', accessKeyId]],
      EC.invalidAccessKeyId,
    ),
  invalidSigningRegion: (authorization: string) =>
    new OssError(
      400,
      'InvalidArgument',
      'Invalid signing region in Authorization header.',
      [['Authorization', authorization]],
      EC.invalidSigningRegion,
    ),
  signatureDoesNotMatch: (accessKeyId: string, stringToSign: string, provided: string, ec?: string) =>
    new OssError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      [
        ['OSSAccessKeyId', accessKeyId],
        ['SignatureProvided', provided],
        ['StringToSign', stringToSign],
        ['StringToSignBytes', [...Buffer.from(stringToSign, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ')],
      ],
      ec,
    ),
  requestTimeTooSkewed: (requestTime: string, serverTime: string) =>
    new OssError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', [
      ['RequestTime', requestTime],
      ['ServerTime', serverTime],
    ]),
  // 404
  noSuchBucket: (bucket: string) =>
    new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.', [['BucketName', bucket]], EC.noSuchBucket),
  noSuchKey: (key: string) => new OssError(404, 'NoSuchKey', 'The specified key does not exist.', [['Key', key]], EC.noSuchKey),
  noSuchLiveChannel: () => new OssError(404, 'NoSuchLiveChannel', 'The specified live channel does not exist.'),
  // 405 / 409 / 411 / 412 / 416 / 501 / 500
  methodNotAllowed: (method: string) =>
    new OssError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', [['Method', method]]),
  bucketAlreadyExists: (
    bucket: string,
    message = 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
  ) => new OssError(409, 'BucketAlreadyExists', message, [['BucketName', bucket]]),
  bucketNotEmpty: (bucket: string) =>
    new OssError(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty.', [['BucketName', bucket]]),
  channelStillLive: () => new OssError(409, 'ChannelStillLive', "Live channel couldn't be updated or deleted when channel is live."),
  fileAlreadyExists: () => new OssError(409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.'),
  liveChannelDisabled: () => new OssError(409, 'LiveChannelDisabled', 'Live channel is disabled by owner.'),
  missingContentLength: () => new OssError(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.'),
  preconditionFailed: (condition: string) =>
    new OssError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.', [['Condition', condition]]),
  invalidRange: () => new OssError(416, 'InvalidRange', 'The requested range cannot be satisfied.'),
  notImplemented: (what: string) => new OssError(501, 'NotImplemented', `${what} is not implemented by oss-live-emulator.`),
  internal: () => new OssError(500, 'InternalError', 'We encountered an internal error. Please try again.'),
  // object API: multipart, copy, append, storage classes and restore
  noSuchUpload: (uploadId: string) =>
    new OssError(
      404,
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      [['UploadId', uploadId]],
    ),
  invalidPart: (partNumber: number, etag: string) =>
    new OssError(
      400,
      'InvalidPart',
      "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
      [
        ['PartNumber', String(partNumber)],
        ['ETag', etag],
      ],
    ),
  invalidPartOrder: () =>
    new OssError(
      400,
      'InvalidPartOrder',
      'The list of parts was not in ascending order. Parts list must specified in order by part number.',
    ),
  entityTooSmall: (partNumber: number, size: number, minimum: number) =>
    new OssError(400, 'EntityTooSmall', 'Your proposed upload smaller than the minimum allowed size.', [
      ['MinSizeAllowed', String(minimum)],
      ['ProposedSize', String(size)],
      ['PartNumber', String(partNumber)],
    ]),
  positionNotEqualToLength: (nextPosition: number) =>
    Object.assign(new OssError(409, 'PositionNotEqualToLength', 'Position is not equal to file length'), {
      headers: { 'x-oss-next-append-position': String(nextPosition) },
    }),
  objectNotAppendable: () => new OssError(409, 'ObjectNotAppendable', 'The object is not appendable'),
  invalidObjectState: () => new OssError(403, 'InvalidObjectState', "The operation is not valid for the object's state"),
  restoreAlreadyInProgress: () => new OssError(409, 'RestoreAlreadyInProgress', "The archive file's restore is still in progress."),
  operationNotSupported: (message: string) => new OssError(400, 'OperationNotSupported', message),

  // Bucket rules (CORS, referer, lifecycle, configuration documents), tagging, symlink, PostObject, callback
  accessForbidden: (message: string) => new OssError(403, 'AccessForbidden', message),
  refererDenied: (ec: '0003-00000501' | '0003-00000502' | '0003-00000503') =>
    new OssError(403, 'AccessDenied', 'You are denied by bucket referer policy.', [], ec),
  noSuchCorsConfiguration: (bucket: string) =>
    new OssError(404, 'NoSuchCORSConfiguration', 'The CORS Configuration does not exist.', [['BucketName', bucket]], '0034-00000001'),
  noSuchLifecycle: (bucket: string) => new OssError(404, 'NoSuchLifecycle', 'No Row found in Lifecycle Table.', [['BucketName', bucket]]),
  noSuchBucketPolicy: (bucket: string) =>
    new OssError(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist.', [['BucketName', bucket]]),
  noSuchWebsiteConfiguration: (bucket: string) =>
    new OssError(404, 'NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration.', [
      ['BucketName', bucket],
    ]),
  noSuchServerSideEncryptionRule: (bucket: string) =>
    new OssError(404, 'NoSuchServerSideEncryptionRule', 'The server side encryption configuration was not found.', [
      ['BucketName', bucket],
    ]),
  invalidTag: (message: string) => new OssError(400, 'InvalidTag', message),
  badRequest: (message: string) => new OssError(400, 'BadRequest', message),
  symlinkTargetNotExist: (target: string) =>
    new OssError(404, 'SymlinkTargetNotExist', 'The symlink target object does not exist.', [['SymlinkTarget', target]]),
  notSymlink: () => new OssError(400, 'NotSymlink', 'The specified object is not a symlink.'),
  invalidTargetType: () => new OssError(400, 'InvalidTargetType', 'The symlink target object type is not supported.'),
  invalidTargetBucketForLogging: (target: string) =>
    new OssError(400, 'InvalidTargetBucketForLogging', 'The target bucket for logging does not exist.', [['TargetBucket', target]]),
  invalidPolicyDocument: (message: string) => new OssError(400, 'InvalidPolicyDocument', message),
  postEntityTooSmall: (min: number) =>
    new OssError(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size.', [
      ['MinSizeAllowed', String(min)],
    ]),
  callbackFailed: (message: string) => new OssError(203, 'CallbackFailed', message),
} as const;
