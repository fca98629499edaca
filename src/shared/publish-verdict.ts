/** The onStatus error a refused publisher is told: ffmpeg prints it as "Server error: <description>". */
export interface RefusalStatus {
  /** e.g. 'NetStream.Publish.Unauthorized', 'NetStream.Publish.BadName'. */
  code: string;
  /** The OSS message. */
  description: string;
}

/**
 * The one shape of a publish decision, from the RTMP URL signature check (auth) through the publish policy to the RTMP
 * adapter: accepted, with what the next step needs (`accessKeyId`, then the `target`, then the media `sink`), or refused
 * with the onStatus the publisher gets (plus, where it helps debugging, `Refused` details such as the StringToSign).
 */
export type PublishVerdict<Accepted extends object, Refused extends object = object> =
  ({ accept: true } & Accepted) | ({ accept: false } & RefusalStatus & Refused);
