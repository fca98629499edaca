// The ingest peer: nginx with Debian's libnginx-mod-rtmp, `hls on`, 2 s fragments written to disk — what a user
// would run instead of the emulator. Installed with apt when missing (root only); skipped with a reason otherwise.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { processTree } from './proc-stats.js';
import { sleep } from './ts-child.js';

const MODULE_CANDIDATES = ['/usr/lib/nginx/modules/ngx_rtmp_module.so', '/usr/share/nginx/modules/ngx_rtmp_module.so'];
const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx'];

export interface NginxRtmpBinary {
  nginx: string;
  module: string;
  version: string;
}

const firstExisting = (paths: string[]): string | undefined => paths.find((p) => existsSync(p));

/** nginx + the RTMP module, installing `nginx libnginx-mod-rtmp` from apt when missing; a reason when impossible. */
export function findOrInstallNginxRtmp(progress: (line: string) => void): NginxRtmpBinary | { skip: string } {
  let nginx = firstExisting(NGINX_CANDIDATES);
  let module = firstExisting(MODULE_CANDIDATES);
  if (!nginx || !module) {
    if (process.getuid?.() !== 0)
      return {
        skip: 'nginx + libnginx-mod-rtmp are not installed and installing them needs root (apt-get install nginx libnginx-mod-rtmp)',
      };
    progress('ingest: installing nginx libnginx-mod-rtmp from apt for the peer runs');
    try {
      // The package's service start is refused in containers (policy-rc.d) and not needed: we run our own instance.
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx', 'libnginx-mod-rtmp'], {
        stdio: 'ignore',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        timeout: 300_000,
      });
    } catch (err) {
      return {
        skip: `apt-get install nginx libnginx-mod-rtmp failed (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
      };
    }
    nginx = firstExisting(NGINX_CANDIDATES);
    module = firstExisting(MODULE_CANDIDATES);
    if (!nginx || !module)
      return { skip: 'apt-get installed nginx libnginx-mod-rtmp but nginx or ngx_rtmp_module.so is not where Debian puts them' };
  }
  // nginx -v prints to stderr.
  const v = spawnSync(nginx, ['-v'], { encoding: 'utf8' });
  let version = `${v.stderr}${v.stdout}`.trim() || 'nginx ?';
  try {
    const pkg = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'libnginx-mod-rtmp'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    version = `${version.replace(/^nginx version: /, '')}, libnginx-mod-rtmp ${pkg.trim()}`;
  } catch {
    // not a Debian package: the version of nginx alone
  }
  return { nginx, module, version };
}

export interface NginxRtmpInstance {
  /** The master process; its worker is its child (measure the tree). */
  pid: number;
  port: number;
  /** Where `<stream>.m3u8` and `<stream>-<n>.ts` appear. */
  hlsDir: string;
  /** rtmp://127.0.0.1:<port>/live/<stream> */
  publishUrl(stream: string): string;
  stop(): Promise<void>;
}

/** The process part of both configurations: foreground master + 1 worker (as root when we are), files in `dir`. */
function processSettings(dir: string, pidFile: string): string {
  return `daemon off;
master_process on;${process.getuid?.() === 0 ? '\nuser root;' : ''}
worker_processes 1;
pid ${join(dir, pidFile)};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }`;
}

/**
 * One nginx (master + 1 worker, foreground; as root the worker stays root so it can write into our private temp dir) with a generated config in `dir`: RTMP application `live`, `hls on`,
 * `hls_fragment 2s`, files on disk under dir/hls. `hls_cleanup off` keeps every fragment, as the emulator keeps every
 * segment object (and so the two write and keep the same bytes).
 */
export async function startNginxRtmp(bin: NginxRtmpBinary, dir: string): Promise<NginxRtmpInstance> {
  const hlsDir = join(dir, 'hls');
  mkdirSync(hlsDir, { recursive: true });
  mkdirSync(join(dir, 'temp'), { recursive: true });
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `load_module ${bin.module};
${processSettings(dir, 'nginx.pid')}
rtmp {
  server {
    listen 127.0.0.1:${port};
    chunk_size 4096;
    application live {
      live on;
      hls on;
      hls_path ${hlsDir};
      hls_fragment 2s;
      hls_playlist_length 6s;
      hls_cleanup off;
    }
  }
}
`,
  );
  const nginx = await runNginx(bin, dir, conf, port);
  return { ...nginx, port, hlsDir, publishUrl: (stream) => `rtmp://127.0.0.1:${port}/live/${stream}` };
}

/** Runs nginx on `conf` in the foreground until `port` accepts connections; stop() is graceful, then a kill of the tree. */
async function runNginx(bin: NginxRtmpBinary, dir: string, conf: string, port: number): Promise<{ pid: number; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(bin.nginx, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready when the port accepts a connection.
  for (const deadline = performance.now() + 10_000; ;) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start: ${stderr || readLog(dir)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not listen on ${port} within 10 s: ${stderr || readLog(dir)}`);
    }
    await sleep(50);
  }
  return {
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      const tree = processTree(child.pid!);
      child.kill('SIGQUIT'); // graceful: workers finish, fragments are closed
      if (await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])) return;
      for (const pid of tree.reverse()) {
        try {
          process.kill(pid, 'SIGKILL'); // a worker outlives a killed master
        } catch {
          // already gone
        }
      }
      await exited;
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8').slice(-2000);
  } catch {
    return '(no error log)';
  }
}

export interface NginxStaticInstance {
  /** The master process; its worker is its child (measure the tree). */
  pid: number;
  port: number;
  stop(): Promise<void>;
}

/**
 * The same nginx serving `root` as static files over HTTP (master + 1 worker, keep-alive without a request limit,
 * no access log): the REST bench's peer for a player polling a live playlist (nginx-rtmp's HLS is served this way).
 */
export async function startNginxStatic(bin: NginxRtmpBinary, dir: string, root: string): Promise<NginxStaticInstance> {
  mkdirSync(join(dir, 'temp'), { recursive: true });
  const port = await freePort();
  const conf = join(dir, 'nginx-static.conf');
  writeFileSync(
    conf,
    `${processSettings(dir, 'nginx-static.pid')}
http {
  access_log off;
  sendfile on;
  tcp_nodelay on;
  keepalive_requests 100000000;
  keepalive_timeout 65s;
  client_body_temp_path ${join(dir, 'temp')};
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`,
  );
  return { ...(await runNginx(bin, dir, conf, port)), port };
}
