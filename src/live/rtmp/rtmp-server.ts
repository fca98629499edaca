import net from 'node:net';
import { listen } from '../../net/listen.js';
import { handleRtmpSocket, type SocketReading } from './rtmp-connection.js';
import { adoptWithUserBuffer } from './user-buffer-socket.js';
import type { RtmpConnection, RtmpConnectionOptions, RtmpHooks, RtmpServer } from './types.js';

/**
 * A plain TCP listener for RTMP (node-media-server's own server has no close(), no ready signal, no port 0 and
 * exits the process on EADDRINUSE). Also adopts sockets accepted elsewhere, so close() covers those too.
 */
/** Enough for a room of OBS instances connecting at once; each pending connection is bounded to a few hundred KB. */
export const DEFAULT_MAX_PENDING_CONNECTIONS = 64;

export function createRtmpServer(hooks: RtmpHooks, opts: RtmpConnectionOptions): RtmpServer {
  const open = new Map<net.Socket, RtmpConnection>();
  /** Connections that have not had a publish accepted: each costs buffers and a timer before any signature is checked. */
  const pending = new Set<net.Socket>();
  const maxPending = opts.maxPendingConnections ?? DEFAULT_MAX_PENDING_CONNECTIONS;
  let refusedSinceLog = 0;
  let lastRefusalLogMs = 0;
  // Accepted paused, so each connection can be taken over by a socket reading into our buffer before any byte is read.
  const server = net.createServer({ pauseOnConnect: true }, (accepted) => {
    if (!admit(accepted)) return;
    let reader: ((bytes: Buffer) => boolean) | undefined;
    const own = adoptWithUserBuffer(accepted, (bytes) => reader?.(bytes) ?? false);
    const reading: SocketReading | undefined = own && { readInto: (r) => (reader = r) };
    serve(own ?? accepted, undefined, reading);
  });
  server.on('error', (err) => opts.log.error({ err }, 'rtmp listener error'));

  /** Sockets adopted from elsewhere (the HTTP port's sniffer) have been read already: they keep Node's 'data' path. */
  function handleSocket(socket: net.Socket, firstChunk?: Buffer): void {
    if (admit(socket)) serve(socket, firstChunk, undefined);
  }

  function admit(socket: net.Socket): boolean {
    if (pending.size >= maxPending) {
      refusedSinceLog++;
      const now = Date.now();
      if (now - lastRefusalLogMs >= 10_000) {
        opts.log.warn(
          { pending: pending.size, limit: maxPending, refused: refusedSinceLog },
          'rtmp: too many unauthenticated connections; closing new ones',
        );
        lastRefusalLogMs = now;
        refusedSinceLog = 0;
      }
      socket.destroy();
      return false;
    }
    return true;
  }

  function serve(socket: net.Socket, firstChunk: Buffer | undefined, reading: SocketReading | undefined): void {
    pending.add(socket);
    const connection = handleRtmpSocket(socket, hooks, opts, firstChunk, () => pending.delete(socket), reading);
    open.set(socket, connection);
    socket.once('close', () => {
      open.delete(socket);
      pending.delete(socket);
    });
  }

  return {
    handleSocket,
    listen: (port, host) => listen(server, port, host),
    async close() {
      const listenerClosed = server.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
      const socketsClosed = [...open.keys()].map(
        (socket) => new Promise<void>((resolve) => (socket.destroyed && socket.closed ? resolve() : socket.once('close', () => resolve()))),
      );
      for (const connection of open.values()) connection.kick('server closing');
      await Promise.all([listenerClosed, ...socketsClosed]);
    },
  };
}
