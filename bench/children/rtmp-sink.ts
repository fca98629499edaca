// The ingest baseline: an RTMP endpoint that does the least a publisher needs (handshake, _result for connect and
// createStream, NetStream.Publish.Start) and then reads and discards every byte. Its CPU is the floor any RTMP
// server pays for receiving N streams on this machine. Tells the parent { type: 'ready', port }.
import net from 'node:net';
import { encodeAmf0, decodeAmf0, type Amf0Value } from '../../src/push/amf0.js';
import { encodeMessage, RtmpChunkDecoder, type RtmpMessage } from '../../src/push/rtmp-chunks.js';
import { onParentMessage, tellParent } from '../lib/ts-child.js';

const HANDSHAKE_SIZE = 1536;
const MSG_SET_CHUNK_SIZE = 1;
const MSG_COMMAND_AMF0 = 20;
const STREAM_ID = 1;

function serve(socket: net.Socket): void {
  let phase: 'c0c1' | 'c2' | 'commands' | 'discard' = 'c0c1';
  let pending: Buffer = Buffer.alloc(0);
  const reply = (streamId: number, values: Amf0Value[]) =>
    socket.write(encodeMessage({ chunkStreamId: 3, timestamp: 0, typeId: MSG_COMMAND_AMF0, streamId, payload: encodeAmf0(values) }, 128));
  const decoder = new RtmpChunkDecoder((msg: RtmpMessage) => {
    if (msg.typeId === MSG_SET_CHUNK_SIZE) decoder.chunkSize = msg.payload.readUInt32BE(0) & 0x7fffffff;
    if (msg.typeId !== MSG_COMMAND_AMF0) return;
    const [name, transactionId] = decodeAmf0(msg.payload);
    if (name === 'connect') {
      reply(0, [
        '_result',
        transactionId,
        { fmsVer: 'FMS/3,0,1,123', capabilities: 31 },
        { level: 'status', code: 'NetConnection.Connect.Success', description: 'ok' },
      ]);
    } else if (name === 'createStream') {
      reply(0, ['_result', transactionId, null, STREAM_ID]);
    } else if (name === 'publish') {
      reply(STREAM_ID, ['onStatus', 0, null, { level: 'status', code: 'NetStream.Publish.Start', description: 'ok' }]);
      phase = 'discard';
    }
  });
  socket.on('data', (chunk: Buffer) => {
    if (phase === 'discard') return;
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    if (phase === 'c0c1') {
      if (pending.length < 1 + HANDSHAKE_SIZE) return;
      const c1 = pending.subarray(1, 1 + HANDSHAKE_SIZE);
      socket.write(Buffer.concat([Buffer.of(3), Buffer.alloc(HANDSHAKE_SIZE), c1])); // S0, S1 (zeros), S2 = C1
      pending = pending.subarray(1 + HANDSHAKE_SIZE);
      phase = 'c2';
    }
    if (phase === 'c2') {
      if (pending.length < HANDSHAKE_SIZE) return;
      pending = pending.subarray(HANDSHAKE_SIZE);
      phase = 'commands';
    }
    if (phase === 'commands' && pending.length) {
      const bytes = pending;
      pending = Buffer.alloc(0);
      decoder.push(bytes);
    }
  });
  socket.on('error', () => {});
}

const server = net.createServer(serve);
server.listen(0, '127.0.0.1', () => {
  onParentMessage(
    () => {},
    async () => void server.close(),
  );
  tellParent({ type: 'ready', port: (server.address() as net.AddressInfo).port });
});
