// A LiveChannel round trip with the official Node SDK (ali-oss) against oss-live-emulator:
// create a bucket and a channel, sign an RTMP URL, push a test pattern with ffmpeg, then read the channel's stat and
// history and write a VOD playlist of what was recorded. Exits 0 when the VOD playlist lists segments.
//
//   OSS_ENDPOINT=http://127.0.0.1:8080 node demo.mjs      # emulator on this machine (IP endpoint)
//   docker compose -f ../docker-compose.yml up --build --exit-code-from app
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import OSS from 'ali-oss';

const env = process.env;
const endpoint = env.OSS_ENDPOINT || 'http://127.0.0.1:8080';
const bucket = env.OSS_BUCKET || 'demo-bucket';
const channel = env.OSS_CHANNEL || 'demo-channel';
const pushSeconds = Number(env.PUSH_SECONDS || '8');
const ffmpeg = env.FFMPEG_PATH || 'ffmpeg';

const client = new OSS({
  endpoint,
  bucket,
  accessKeyId: env.OSS_ACCESS_KEY_ID || 'LTAI5tOssEmulatorKey',
  accessKeySecret: env.OSS_ACCESS_KEY_SECRET || 'OssEmulatorSecretDoNotUseInProd',
});

const log = (...args) => console.log('[demo]', ...args);

async function main() {
  try {
    await client.putBucket(bucket);
    log(`bucket ${bucket} created`);
  } catch (err) {
    // A second run against a persistent volume finds it already there.
    if (err.code !== 'BucketAlreadyExists') throw err;
    log(`bucket ${bucket} already exists`);
  }

  const put = await client.putChannel(channel, {
    Description: 'example-app channel',
    Status: 'enabled',
    Target: { Type: 'HLS', FragDuration: 2, FragCount: 3, PlaylistName: 'playlist.m3u8' },
  });
  log('PutLiveChannel PublishUrl', put.publishUrls[0]);
  log('PutLiveChannel PlayUrl   ', put.playUrls[0]);

  // For a hostname endpoint this is rtmp://<bucket>.<host>:<port>/live/<channel>?OSSAccessKeyId=…&Expires=…&Signature=…;
  // for an IP endpoint rtmp://<ip>:<port>/live/<channel>?… (no bucket: the emulator finds the channel by its name).
  const rtmpUrl = client.getRtmpUrl(channel, { expires: 3600 });
  log('signed RTMP URL', rtmpUrl);

  const startedSec = Math.floor(Date.now() / 1000);
  const push = runFfmpeg(rtmpUrl);

  // GetLiveChannelStat reports Live with the stream's codecs while the push runs.
  for (let i = 0; i < 50 && !push.done; i++) {
    const { data } = await client.getChannelStatus(channel);
    if (data.Status === 'Live') {
      log('GetLiveChannelStat', JSON.stringify({ status: data.Status, video: data.Video, audio: data.Audio }));
      break;
    }
    await sleep(200);
  }
  const exitCode = await push.exited;
  if (exitCode !== 0) throw new Error(`ffmpeg exited with ${exitCode}`);
  log('push finished');

  // The record closes when the publisher disconnects; Idle means the last segment is written.
  for (let i = 0; i < 50; i++) {
    const { data } = await client.getChannelStatus(channel);
    if (data.Status === 'Idle') break;
    await sleep(200);
  }
  const { records } = await client.getChannelHistory(channel);
  log('GetLiveChannelHistory', JSON.stringify(records.at(-1)));

  await client.createVod(channel, 'vod.m3u8', { startTime: startedSec - 1, endTime: Math.ceil(Date.now() / 1000) + 1 });
  const vod = (await client.get(`${channel}/vod.m3u8`)).content.toString('utf8');
  const segments = vod.split('\n').filter((line) => line.endsWith('.ts'));
  log(`PostVodPlaylist wrote ${channel}/vod.m3u8 with ${segments.length} segments:`);
  console.log(vod);
  if (segments.length === 0) throw new Error('the VOD playlist lists no segments');
  log(`play it: ${put.playUrls[0].replace(/[^/]+$/, 'vod.m3u8')}`);
}

/** Pushes a generated 640x360 H.264/AAC test pattern in real time for pushSeconds. */
function runFfmpeg(url) {
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360:rate=25',
    '-re',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=44100',
    '-t',
    String(pushSeconds),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-tune',
    'zerolatency',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '50',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    '-f',
    'flv',
    url,
  ];
  log(`pushing ${pushSeconds} s of test pattern with ${ffmpeg}`);
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const state = { done: false, exited: undefined };
  state.exited = new Promise((resolve) => {
    child.once('error', (err) => {
      log(`cannot run ${ffmpeg}: ${err.message}`);
      state.done = true;
      resolve(127);
    });
    child.once('exit', (code) => {
      state.done = true;
      resolve(code ?? 1);
    });
  });
  return state;
}

main().then(
  () => log('OK'),
  (err) => {
    console.error('[demo] FAILED:', err.message ?? err);
    process.exitCode = 1;
  },
);
