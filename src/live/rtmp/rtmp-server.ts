import net from 'node:net';
import { handleRtmpSocket } from './rtmp-connection.js';
import type { RtmpConnection, RtmpConnectionOptions, RtmpHooks, RtmpServer } from './types.js';

/**
 * A plain TCP listener for RTMP (node-media-server's own server has no close(), no ready signal, no port 0 and
 * exits the process on EADDRINUSE). Also adopts sockets accepted elsewhere, so close() covers those too.
 */
export function createRtmpServer(hooks: RtmpHooks, opts: RtmpConnectionOptions): RtmpServer {
  const open = new Map<net.Socket, RtmpConnection>();
  const server = net.createServer((socket) => handleSocket(socket));
  server.on('error', (err) => opts.log.error({ err }, 'rtmp listener error'));

  function handleSocket(socket: net.Socket, firstChunk?: Buffer): void {
    const connection = handleRtmpSocket(socket, hooks, opts, firstChunk);
    open.set(socket, connection);
    socket.once('close', () => open.delete(socket));
  }

  return {
    handleSocket,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as net.AddressInfo).port);
        });
      });
    },
    async close() {
      const listenerClosed = server.listening
        ? new Promise<void>((resolve) => server.close(() => resolve()))
        : Promise.resolve();
      const socketsClosed = [...open.keys()].map(
        (socket) => new Promise<void>((resolve) => (socket.destroyed && socket.closed ? resolve() : socket.once('close', () => resolve()))),
      );
      for (const connection of open.values()) connection.kick('server closing');
      await Promise.all([listenerClosed, ...socketsClosed]);
    },
  };
}
