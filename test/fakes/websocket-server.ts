import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One WebSocket connection accepted by the fake: JSON text frames in and out, pings answered. */
export interface FakeSocket {
  send(message: unknown): void;
  close(): void;
  readonly closed: boolean;
}

/**
 * A minimal RFC 6455 server side, enough to stand in for Slack's Socket Mode endpoint: the upgrade handshake,
 * unfragmented text frames, ping → pong, and close. `onMessage` gets each text frame parsed as JSON.
 */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  onMessage: (message: unknown) => void,
): FakeSocket {
  const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${GUID}`).digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  let buffered = Buffer.alloc(0);
  let closed = false;
  const write = (opcode: number, payload: Buffer) => {
    if (!closed && !socket.destroyed) socket.write(frame(opcode, payload));
  };
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let next = readFrame(buffered); next; next = readFrame(buffered)) {
      buffered = buffered.subarray(next.length);
      if (next.opcode === 0x1) onMessage(JSON.parse(next.payload.toString('utf8')));
      else if (next.opcode === 0x9) write(0xa, next.payload);
      else if (next.opcode === 0x8) {
        write(0x8, next.payload);
        closed = true;
        socket.end();
      }
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    closed = true;
  });
  return {
    send: (message) => write(0x1, Buffer.from(JSON.stringify(message))),
    close: () => {
      write(0x8, Buffer.from([0x03, 0xe8]));
      closed = true;
      socket.end();
    },
    get closed() {
      return closed;
    },
  };
}

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65_536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
  return Buffer.concat([header, payload]);
}

function bigLength(length: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(length));
  return bytes;
}

/** A complete frame at the start of `data` (client frames are masked), or undefined if more bytes are needed. */
function readFrame(data: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (data.length < 2) return undefined;
  const opcode = (data[0] as number) & 0x0f;
  const masked = ((data[1] as number) & 0x80) !== 0;
  let length = (data[1] as number) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (data.length < offset + length) return undefined;
  const payload = Buffer.from(data.subarray(offset, offset + length));
  if (masked) {
    for (let i = 0; i < payload.length; i++)
      payload[i] = (payload[i] as number) ^ (data[maskOffset + (i % 4)] as number);
  }
  return { opcode, payload, length: offset + length };
}
