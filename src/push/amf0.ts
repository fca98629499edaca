// A small AMF0 codec for RTMP commands (the publisher must not depend on the server's library).
// Encodes numbers, booleans, strings, null, undefined, arrays, Dates and plain objects; decodes also ECMA arrays
// (as plain objects), typed objects and XML documents.

export type Amf0Value = number | boolean | string | null | undefined | Date | Amf0Value[] | { [key: string]: Amf0Value };

const NUMBER = 0x00;
const BOOLEAN = 0x01;
const STRING = 0x02;
const OBJECT = 0x03;
const NULL = 0x05;
const UNDEFINED = 0x06;
const ECMA_ARRAY = 0x08;
const OBJECT_END = 0x09;
const STRICT_ARRAY = 0x0a;
const DATE = 0x0b;
const LONG_STRING = 0x0c;
const XML_DOCUMENT = 0x0f;
const TYPED_OBJECT = 0x10;

export class Amf0Error extends Error {}

export function encodeAmf0(values: readonly Amf0Value[]): Buffer {
  const parts: Buffer[] = [];
  for (const value of values) encodeValue(value, parts);
  return Buffer.concat(parts);
}

function encodeValue(value: Amf0Value, out: Buffer[]): void {
  if (value === null) out.push(Buffer.of(NULL));
  else if (value === undefined) out.push(Buffer.of(UNDEFINED));
  else if (typeof value === 'number') {
    const b = Buffer.alloc(9);
    b[0] = NUMBER;
    b.writeDoubleBE(value, 1);
    out.push(b);
  } else if (typeof value === 'boolean') out.push(Buffer.of(BOOLEAN, value ? 1 : 0));
  else if (typeof value === 'string') {
    const utf8 = Buffer.from(value, 'utf8');
    const long = utf8.length > 0xffff;
    const head = Buffer.alloc(long ? 5 : 3);
    head[0] = long ? LONG_STRING : STRING;
    if (long) head.writeUInt32BE(utf8.length, 1);
    else head.writeUInt16BE(utf8.length, 1);
    out.push(head, utf8);
  } else if (value instanceof Date) {
    const b = Buffer.alloc(11); // + 2 bytes time zone, always 0
    b[0] = DATE;
    b.writeDoubleBE(value.getTime(), 1);
    out.push(b);
  } else if (Array.isArray(value)) {
    const head = Buffer.alloc(5);
    head[0] = STRICT_ARRAY;
    head.writeUInt32BE(value.length, 1);
    out.push(head);
    for (const item of value) encodeValue(item, out);
  } else {
    out.push(Buffer.of(OBJECT));
    for (const [key, item] of Object.entries(value)) {
      out.push(propertyName(key));
      encodeValue(item, out);
    }
    out.push(Buffer.of(0, 0, OBJECT_END));
  }
}

function propertyName(key: string): Buffer {
  const utf8 = Buffer.from(key, 'utf8');
  const head = Buffer.alloc(2);
  head.writeUInt16BE(utf8.length);
  return Buffer.concat([head, utf8]);
}

/** Decodes every value in the buffer; throws Amf0Error on truncation or unsupported markers. */
export function decodeAmf0(buf: Buffer): Amf0Value[] {
  const reader = new Amf0Reader(buf);
  const values: Amf0Value[] = [];
  while (reader.offset < buf.length) values.push(reader.value());
  return values;
}

class Amf0Reader {
  offset = 0;
  constructor(private readonly buf: Buffer) {}

  value(): Amf0Value {
    const marker = this.take(1)[0]!;
    switch (marker) {
      case NUMBER:
        return this.take(8).readDoubleBE(0);
      case BOOLEAN:
        return this.take(1)[0] !== 0;
      case STRING:
        return this.take(this.take(2).readUInt16BE(0)).toString('utf8');
      case LONG_STRING:
      case XML_DOCUMENT:
        return this.take(this.take(4).readUInt32BE(0)).toString('utf8');
      case OBJECT:
        return this.properties();
      case TYPED_OBJECT:
        this.take(this.take(2).readUInt16BE(0)); // class name
        return this.properties();
      case ECMA_ARRAY:
        this.take(4); // advisory count; the list is terminated like an object
        return this.properties();
      case STRICT_ARRAY: {
        const count = this.take(4).readUInt32BE(0);
        const items: Amf0Value[] = [];
        for (let i = 0; i < count; i++) items.push(this.value());
        return items;
      }
      case DATE: {
        const ms = this.take(8).readDoubleBE(0);
        this.take(2);
        return new Date(ms);
      }
      case NULL:
        return null;
      case UNDEFINED:
        return undefined;
      default:
        throw new Amf0Error(`unsupported AMF0 marker 0x${marker.toString(16)} at ${this.offset - 1}`);
    }
  }

  private properties(): { [key: string]: Amf0Value } {
    const obj: { [key: string]: Amf0Value } = {};
    for (;;) {
      const key = this.take(this.take(2).readUInt16BE(0)).toString('utf8');
      if (key === '' && this.buf[this.offset] === OBJECT_END) {
        this.offset++;
        return obj;
      }
      obj[key] = this.value();
    }
  }

  private take(n: number): Buffer {
    if (this.offset + n > this.buf.length) throw new Amf0Error('truncated AMF0 data');
    const slice = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return slice;
  }
}
