// Watches a server's durable state from outside and notes when each segment becomes visible, the same way for the
// emulator and for nginx-rtmp: the kernel tells us the server wrote (inotify via fs.watch), we read what is now
// visible, and a 25 ms poll catches anything a notification missed.
//   nginx:    every rename of <stream>.m3u8 in the HLS directory -> parse it (media sequence + EXTINF).
//   emulator: every write to emulator.sqlite-wal -> the segment rows committed since the last look (a row commits in
//             the same transaction as the playlist object listing it, so it is the moment a player can see it).
// <- watch { kind: 'nginx', dir, streams } | { kind: 'emulator', dir, bucket }   -> watching
// <- report                                                                       -> report { segments: [stream, seq, durationMs, seenEpochMs][] }
import Database from 'better-sqlite3';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { onParentMessage, tellParent } from '../lib/ts-child.js';

type Seen = [stream: string, sequence: number, durationMs: number, seenEpochMs: number];

const POLL_MS = 25;
const epochNow = (): number => performance.timeOrigin + performance.now();

const seen: Seen[] = [];
const known = new Set<string>();
let watcher: FSWatcher | undefined;
let poller: NodeJS.Timeout | undefined;

function note(stream: string, sequence: number, durationMs: number, at: number): void {
  const id = `${stream}/${sequence}`;
  if (known.has(id)) return;
  known.add(id);
  seen.push([stream, sequence, durationMs, at]);
}

function watchNginx(dir: string, streams: string[]): void {
  const read = (stream: string): void => {
    const at = epochNow();
    let text: string;
    try {
      text = readFileSync(join(dir, `${stream}.m3u8`), 'latin1');
    } catch {
      return; // not there yet
    }
    let sequence = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);
    for (const m of text.matchAll(/#EXTINF:([\d.]+)/g)) note(stream, sequence++, Math.round(Number(m[1]) * 1000), at);
  };
  watcher = watch(dir, (_event, filename) => {
    const name = filename?.toString();
    if (name?.endsWith('.m3u8')) read(name.slice(0, -'.m3u8'.length));
  });
  // The fallback reads each playlist once per 10 polls, so it costs the watcher about what one query costs below.
  let round = 0;
  poller = setInterval(() => {
    if (round++ % 10 === 0) for (const s of streams) read(s);
  }, POLL_MS);
}

function watchEmulator(dir: string, bucket: string): void {
  const db = new Database(join(dir, 'emulator.sqlite'), { readonly: true, fileMustExist: true });
  const query = db.prepare('SELECT id, channel, sequence, duration_ms AS durationMs FROM segments WHERE bucket = ? AND id > ? ORDER BY id');
  let lastId = 0;
  const look = (): void => {
    const at = epochNow();
    for (const row of query.all(bucket, lastId) as Array<{ id: number; channel: string; sequence: number; durationMs: number }>) {
      lastId = row.id;
      note(row.channel, row.sequence, row.durationMs, at);
    }
  };
  // The WAL write comes just before SQLite publishes the commit in its shared-memory index: look again shortly after.
  let again: NodeJS.Timeout | undefined;
  watcher = watch(dir, (_event, filename) => {
    if (filename?.toString() !== 'emulator.sqlite-wal') return;
    look();
    again ??= setTimeout(() => {
      again = undefined;
      look();
    }, 2);
  });
  poller = setInterval(look, POLL_MS);
}

onParentMessage(
  (m) => {
    if (m.type === 'watch') {
      if (m.kind === 'nginx') watchNginx(String(m.dir), m.streams as string[]);
      else watchEmulator(String(m.dir), String(m.bucket));
      tellParent({ type: 'watching' });
    } else if (m.type === 'report') {
      tellParent({ type: 'report', segments: seen });
    }
  },
  async () => {
    watcher?.close();
    clearInterval(poller);
  },
);
tellParent({ type: 'ready' });
