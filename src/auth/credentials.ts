/** One access key pair the emulator accepts. */
export interface Credential {
  accessKeyId: string;
  accessKeySecret: string;
}

/** The key store: answers "which secret signs for this AccessKeyId?" and nothing else. */
export class Credentials {
  private readonly secrets: ReadonlyMap<string, string>;

  constructor(list: Credential[]) {
    this.secrets = new Map(list.map((c) => [c.accessKeyId, c.accessKeySecret]));
  }

  secretFor(accessKeyId: string): string | undefined {
    return this.secrets.get(accessKeyId);
  }
}
