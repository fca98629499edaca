import net from 'node:net';

/** Sends raw bytes to 127.0.0.1:port, resolves with everything the server sent once it closed the connection. */
export function rawExchange(port: number, bytes: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes, 'latin1'));
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection not closed within ${timeoutMs} ms; received so far: ${received}`));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', reject);
  });
}
