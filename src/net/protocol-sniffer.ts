import type net from 'node:net';

/** C0 of an RTMP handshake: protocol version 3. No HTTP request line can start with it. */
const RTMP_VERSION_BYTE = 0x03;

export interface ProtocolSniffHandlers {
  /** The socket with the bytes already read from it (they are NOT pushed back: pass them to the RTMP handler). */
  onRtmp(socket: net.Socket, firstChunk: Buffer): void;
  /** The socket with its first bytes pushed back (firstChunk is informational; empty after a timeout). */
  onHttp(socket: net.Socket, firstChunk: Buffer): void;
  /**
   * How long to wait for a first byte. A silent socket is then handed to HTTP rather than closed: browsers and HTTP
   * agents open connections ahead of use (preconnect, pools) and the HTTP server's own timeouts already govern
   * idle sockets, so we must not judge them sooner; RTMP clients always speak first (C0+C1), so they never wait.
   */
  timeoutMs: number;
}

/**
 * Lets one port serve both the OSS HTTP API and RTMP (SDKs build rtmp://<http host:port>/… URLs) by looking at
 * the first byte: 0x03 => RTMP, anything else => HTTP.
 */
export function sniffProtocol(socket: net.Socket, handlers: ProtocolSniffHandlers): void {
  let decided = false;
  const cleanUp = () => {
    decided = true;
    clearTimeout(timer);
    socket.off('readable', onReadable);
    socket.off('end', onGone);
    socket.off('close', onGone);
    socket.off('error', onGone);
  };
  const onReadable = () => {
    if (decided) return;
    const chunk = socket.read() as Buffer | null;
    if (chunk === null || chunk.length === 0) return;
    cleanUp();
    if (chunk[0] === RTMP_VERSION_BYTE) {
      handlers.onRtmp(socket, chunk);
    } else {
      socket.unshift(chunk);
      handlers.onHttp(socket, chunk);
    }
  };
  // Closed or broken before saying anything: nobody to hand it to.
  const onGone = () => {
    cleanUp();
    socket.destroy();
  };
  const timer = setTimeout(() => {
    if (decided) return;
    cleanUp();
    handlers.onHttp(socket, Buffer.alloc(0));
  }, handlers.timeoutMs);
  timer.unref();
  socket.on('readable', onReadable);
  socket.once('end', onGone);
  socket.once('close', onGone);
  socket.once('error', onGone);
}
