import { ossErrors } from '../wire/errors.js';

const MAX_CHANNEL_NAME_BYTES = 64;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * OSS's channel-name rule (PutLiveChannel docs): UTF-8, 1-64 bytes, no `/` and no `\`, with the messages of OSS's 400 page.
 * The page lists one slash message; a backslash gets it too.
 */
export function validateChannelName(name: string): void {
  if (name === '') throw ossErrors.invalidChannelName('ChannelName must not be empty.');
  if (LONE_SURROGATE.test(name)) throw ossErrors.invalidChannelName('The characters encoding must be utf-8.');
  if (Buffer.byteLength(name, 'utf8') > MAX_CHANNEL_NAME_BYTES) {
    throw ossErrors.invalidChannelName('The Length of channel name must be less than 64.');
  }
  if (name.includes('/') || name.includes('\\')) throw ossErrors.invalidChannelName('ChannelName must not contain a slash.');
}
