// Public surface of src/auth: the HTTP pipeline needs authenticate, the RTMP adapter verifyRtmpSignature,
// the CLI signRtmpUrl; the signers are exported for tests and tools that sign requests against us.
export { Credentials, type Credential } from './credentials.js';
export { authenticate, verifyRtmpSignature, type AuthInput, type Principal, type RtmpSignatureInput, type RtmpVerdict } from './authenticate.js';
export { rtmpStringToSign, signRtmpUrl, type SignRtmpUrlInput } from './rtmp-signature.js';
export { canonicalizedResource, hmacSha1Base64, v1StringToSign, type QueryPairs } from './signature-v1.js';
export { presignV4, v4CanonicalRequest, v4Signature, v4StringToSign, type V4Scope } from './signature-v4.js';
export { isV1Subresource } from './subresources.js';
export { constantTimeEqual } from './verify.js';
