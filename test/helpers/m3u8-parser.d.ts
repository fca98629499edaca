// m3u8-parser ships no types; only what the playlist tests read is declared.
declare module 'm3u8-parser' {
  export interface ParsedSegment {
    uri: string;
    duration: number;
  }
  export interface ParsedManifest {
    targetDuration?: number;
    mediaSequence?: number;
    endList?: boolean;
    version?: number;
    segments: ParsedSegment[];
  }
  export class Parser {
    manifest: ParsedManifest;
    push(chunk: string): void;
    end(): void;
  }
}
