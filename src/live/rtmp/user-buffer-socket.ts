// Reading RTMP sockets into one buffer we own (net.Socket's `onread`), instead of Node's stream path: that path
// allocates a 64 KiB buffer per read, copies it into a Buffer of the read's size, and runs it through Readable.push and
// 'data' (with 50 publishers, thousands of reads a second, and the external-memory churn that makes V8 mark-compact).
import net from 'node:net';

/** Called per read with the bytes read: a view of memory the next read overwrites. Return false to stop reading. */
export type OnSocketRead = (bytes: Buffer) => boolean | void;

/** One buffer for every socket: reads are delivered one at a time on the event loop and consumed before returning. */
const SHARED_READ_BUFFER_SIZE = 64 * 1024;
let shared: Buffer | undefined;

interface HandleOwner {
  _handle?: unknown;
}

/**
 * Takes over a socket a server accepted with `pauseOnConnect: true`, before anything read from it: the returned
 * socket reads into the shared buffer and hands each read to `onRead` (no 'data' events). The original socket is
 * detached from the connection and destroyed (the server's connection count stays right). Undefined when the
 * socket cannot be taken over (not fresh, or a Node without the handle property): use it as it is then.
 */
export function adoptWithUserBuffer(socket: net.Socket, onRead: OnSocketRead): net.Socket | undefined {
  const owner = socket as unknown as HandleOwner;
  const handle = owner._handle;
  if (handle === null || typeof handle !== 'object' || socket.destroyed || socket.bytesRead > 0) return undefined;
  const buffer = (shared ??= Buffer.allocUnsafeSlow(SHARED_READ_BUFFER_SIZE));
  owner._handle = null; // the connection now belongs to the new socket; destroying this one must not close it
  socket.destroy();
  const options: net.SocketConstructorOpts & net.ConnectOpts & { handle: unknown } = {
    handle,
    allowHalfOpen: true,
    onread: { buffer, callback: (n) => onRead(buffer.subarray(0, n)) !== false },
  };
  return new net.Socket(options);
}
