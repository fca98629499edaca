/** The server refused (or ended) a publish: `code` and `description` are what it sent in _error/onStatus. */
export class RtmpPublishError extends Error {
  override readonly name = 'RtmpPublishError';
  constructor(
    readonly code: string,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
  }
}
