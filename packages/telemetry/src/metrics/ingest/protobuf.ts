// A minimal protobuf wire-format reader and writer: remote_write and OTLP need only a handful of
// messages, and a hand-written decoder avoids building a generic object per field (the decode
// cost dominates ingestion in Node).
import { InputError } from '@sreworks/kernel';

export class PbReader {
  pos: number;
  readonly end: number;
  private readonly view: DataView;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
    readonly field = 'body',
    view?: DataView,
  ) {
    this.pos = start;
    this.end = end;
    // sub-readers share their parent's view: one DataView per message would dominate decoding
    this.view = view ?? new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private fail(what: string): never {
    throw new InputError(`protobuf is truncated or corrupt (${what} at byte ${this.pos})`, { field: this.field }, 'TELEMETRY_PROTOBUF_INVALID');
  }

  more(): boolean {
    return this.pos < this.end;
  }

  /** varint as a JS number (exact up to 2^53). */
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    this.fail('varint too long');
  }

  /** int64 varint, two's complement for negatives. */
  int64(): number {
    const start = this.pos;
    const v = this.varint();
    if (this.pos - start === 10 || v >= 2 ** 63) {
      // negative: re-read as BigInt
      this.pos = start;
      let r = 0n;
      let shift = 0n;
      for (;;) {
        const b = this.buf[this.pos++]!;
        r |= BigInt(b & 0x7f) << shift;
        shift += 7n;
        if (b < 0x80) break;
      }
      return Number(BigInt.asIntN(64, r));
    }
    return v;
  }

  tag(): [field: number, wire: number] {
    const t = this.varint();
    return [Math.floor(t / 8), t & 7];
  }

  double(): number {
    if (this.pos + 8 > this.end) this.fail('double');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  fixed64(): number {
    if (this.pos + 8 > this.end) this.fail('fixed64');
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  sfixed64(): number {
    if (this.pos + 8 > this.end) this.fail('sfixed64');
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return Number(v);
  }

  /** length-delimited field: returns [start, end) and skips over it. */
  bytes(): [number, number] {
    const len = this.varint();
    const s = this.pos;
    if (s + len > this.end) this.fail('length-delimited field');
    this.pos = s + len;
    return [s, s + len];
  }

  string(): string {
    const [s, e] = this.bytes();
    return utf8.decode(this.buf.subarray(s, e));
  }

  sub(field?: string): PbReader {
    const [s, e] = this.bytes();
    return new PbReader(this.buf, s, e, field ?? this.field, this.view);
  }

  /** double at an absolute offset (for decoders that walk small messages inline). */
  doubleAt(p: number): number {
    return this.view.getFloat64(p, true);
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.varint();
        return;
      case 1:
        if (this.pos + 8 > this.end) this.fail('skip 64-bit');
        this.pos += 8;
        return;
      case 2:
        this.bytes();
        return;
      case 5:
        if (this.pos + 4 > this.end) this.fail('skip 32-bit');
        this.pos += 4;
        return;
      default:
        this.fail(`wire type ${wire}`);
    }
  }

  /** packed or unpacked repeated doubles / fixed64, for histogram buckets. */
  packedDoubles(wire: number, out: number[]): void {
    if (wire === 1) {
      out.push(this.double());
      return;
    }
    const [s, e] = this.bytes();
    if ((e - s) % 8) this.fail('packed 64-bit length');
    for (let p = s; p < e; p += 8) out.push(this.view.getFloat64(p, true));
  }
  packedFixed64(wire: number, out: number[]): void {
    if (wire === 1) {
      out.push(this.fixed64());
      return;
    }
    const [s, e] = this.bytes();
    if ((e - s) % 8) this.fail('packed 64-bit length');
    for (let p = s; p < e; p += 8) out.push(this.view.getUint32(p + 4, true) * 4294967296 + this.view.getUint32(p, true));
  }
}

const utf8 = new TextDecoder('utf-8');

/** A growable protobuf writer (for tests, the bench and the scrape path). */
export class PbWriter {
  private buf = Buffer.allocUnsafe(1024);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const nb = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(nb, 0, 0, this.len);
    this.buf = nb;
  }
  varint(v: number): this {
    this.ensure(10);
    if (v < 0) {
      let b = BigInt.asUintN(64, BigInt(v));
      while (b >= 0x80n) {
        this.buf[this.len++] = Number(b & 0x7fn) | 0x80;
        b >>= 7n;
      }
      this.buf[this.len++] = Number(b);
      return this;
    }
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }
  double(field: number, v: number): this {
    this.tag(field, 1);
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.len);
    this.len += 8;
    return this;
  }
  fixed64(field: number, v: number | bigint): this {
    this.tag(field, 1);
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.len);
    this.len += 8;
    return this;
  }
  int64(field: number, v: number): this {
    return this.tag(field, 0).varint(v);
  }
  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2).varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }
  message(field: number, fill: (w: PbWriter) => void): this {
    const w = new PbWriter();
    fill(w);
    return this.bytes(field, w.finish());
  }
  finish(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}
