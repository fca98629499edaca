import { ossErrors } from '../oss/wire/errors.js';
import type { Credentials } from './credentials.js';
import { hmacSha1Base64 } from './signature-v1.js';
import { parseCredential, V4_ALGORITHM, v4Signature } from './signature-v4.js';
import { constantTimeEqual } from './verify.js';

/** The signature fields of a PostObject form (names lower-case, as the form reader gives them). */
export type PostFormFields = ReadonlyMap<string, string>;

/**
 * Who signed a PostObject form: V1 (`OSSAccessKeyId` + `Signature` = base64(HMAC-SHA1(secret, policy))) or V4
 * (`x-oss-signature-version: OSS4-HMAC-SHA256`, `x-oss-credential`, `x-oss-date`, `x-oss-signature` = hex(HMAC-SHA256(
 * signing key, policy))). The string signed is the base64 policy as sent. Undefined for an unsigned (anonymous) form.
 */
export function verifyPostPolicySignature(fields: PostFormFields, credentials: Credentials): string | undefined {
  const policy = fields.get('policy');
  const version = fields.get('x-oss-signature-version');
  if (version !== undefined) {
    if (version !== V4_ALGORITHM) throw ossErrors.invalidArgument(`x-oss-signature-version ${version} is not supported.`);
    const parsed = parseCredential(fields.get('x-oss-credential') ?? '');
    const provided = fields.get('x-oss-signature');
    if (!parsed || provided === undefined || policy === undefined || fields.get('x-oss-date') === undefined) {
      throw ossErrors.invalidArgument('A V4 form needs policy, x-oss-credential, x-oss-date and x-oss-signature.');
    }
    const secret = credentials.secretFor(parsed.accessKeyId);
    if (secret === undefined) throw ossErrors.invalidAccessKeyId(parsed.accessKeyId);
    if (constantTimeEqual(v4Signature(secret, parsed.scope, policy), provided)) return parsed.accessKeyId;
    throw ossErrors.signatureDoesNotMatch(parsed.accessKeyId, policy, provided);
  }
  const accessKeyId = fields.get('ossaccesskeyid');
  if (accessKeyId === undefined) return undefined;
  const provided = fields.get('signature');
  if (policy === undefined || provided === undefined) {
    throw ossErrors.invalidArgument('Bucket POST must contain a policy and a Signature when OSSAccessKeyId is given.');
  }
  const secret = credentials.secretFor(accessKeyId);
  if (secret === undefined) throw ossErrors.invalidAccessKeyId(accessKeyId);
  if (constantTimeEqual(hmacSha1Base64(secret, policy), provided)) return accessKeyId;
  throw ossErrors.signatureDoesNotMatch(accessKeyId, policy, provided);
}
