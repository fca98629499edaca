import { randomBytes } from 'node:crypto';

/** A random per-process prefix: ids stay unique across restarts without drawing random bytes per request. */
const prefix = randomBytes(4).toString('hex').toUpperCase();
let counter = 0;

/** x-oss-request-id: 24 upper-case hex characters, as OSS sends (the Java SDK's tests check the length). */
export const newRequestId = (): string => prefix + (counter++).toString(16).toUpperCase().padStart(16, '0');
