// Per-series chunk and WAL record codecs of the embedded store (see schema.ts).
//
// A chunk holds up to CHUNK_SAMPLES samples of one series, sorted by time:
//   varint n, zigzag varint t0, zigzag varint (t1 - t0), zigzag varint delta-of-delta...,
//   then the values: the first as 8 raw bytes, each next one XORed with its predecessor and
//   written as one header byte (0 = same value; else 0x80 | leading zero bytes << 3 | trailing
//   zero bytes) followed by the non-zero middle bytes.
// Values are only ever moved as bytes, never read into a JS number: Prometheus' stale marker is
// a NaN payload that must survive (see SeriesSamples).
//
// A WAL record holds the samples one commit accepted, for many series, columnar:
//   u32 series count, (u32 series id, u32 sample count) per series, pad to 8,
//   f64 timestamps, f64 values (little-endian raw bytes).

/** samples per chunk, as Prometheus' head chunks. */
export const CHUNK_SAMPLES = 120;

export interface Run {
  /** sorted timestamps (ms). */
  ts: Float64Array;
  /** values, same length. */
  vs: Float64Array;
}

class ByteWriter {
  buf = new Uint8Array(256);
  len = 0;
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const nb = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }
  varint(v: number): void {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
  }
  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
}

/** Encodes samples [from, to) of a run as one chunk. */
export function encodeChunk(ts: ArrayLike<number>, vs: Float64Array, from = 0, to = ts.length): Buffer {
  const n = to - from;
  const w = new ByteWriter();
  w.ensure(n * 3 + 16);
  w.varint(n);
  let prevT = 0;
  let prevD = 0;
  for (let i = from; i < to; i++) {
    const t = ts[i]!;
    if (i === from) w.zigzag(t);
    else {
      const d = t - prevT;
      w.zigzag(i === from + 1 ? d : d - prevD);
      prevD = d;
    }
    prevT = t;
  }
  const bytes = new Uint8Array(vs.buffer, vs.byteOffset, vs.byteLength);
  w.ensure(8);
  const first = from * 8;
  for (let b = 0; b < 8; b++) w.buf[w.len++] = bytes[first + b]!;
  for (let i = from + 1; i < to; i++) {
    const o = i * 8;
    const p = o - 8;
    let lead = 0; // zero XOR bytes from the most significant end (byte 7 little-endian)
    while (lead < 8 && bytes[o + 7 - lead] === bytes[p + 7 - lead]) lead++;
    w.ensure(9);
    if (lead === 8) {
      w.buf[w.len++] = 0;
      continue;
    }
    let trail = 0;
    while (bytes[o + trail] === bytes[p + trail]) trail++;
    w.buf[w.len++] = 0x80 | (lead << 3) | trail;
    for (let b = 7 - lead; b >= trail; b--) w.buf[w.len++] = bytes[o + b]! ^ bytes[p + b]!;
  }
  return Buffer.from(w.buf.buffer, 0, w.len);
}

function corrupt(): never {
  throw new Error('metrics chunk is corrupt');
}

/** Decodes a chunk into fresh arrays. */
export function decodeChunk(data: Uint8Array): Run {
  const n = chunkCount(data);
  const run = { ts: new Float64Array(n), vs: new Float64Array(n) };
  decodeChunkInto(data, run.ts, run.vs, 0);
  return run;
}

/** Decodes a chunk into ts/vs from index `at` (room for chunkCount(data) samples); returns the count. */
export function decodeChunkInto(data: Uint8Array, ts: Float64Array, vs: Float64Array, at: number): number {
  // varints inlined: this loop is the panel's hot path
  let pos = 0;
  let n = 0;
  for (let mul = 1; ; mul *= 128) {
    if (pos >= data.length) corrupt();
    const b = data[pos++]!;
    n += (b & 0x7f) * mul;
    if (b < 0x80) break;
  }
  if (at + n > ts.length) corrupt();
  let t = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let mul = 1; ; mul *= 128) {
      if (pos >= data.length) corrupt();
      const b = data[pos++]!;
      z += (b & 0x7f) * mul;
      if (b < 0x80) break;
    }
    const x = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    if (i === 0) t = x;
    else {
      d = i === 1 ? x : d + x;
      t += d;
    }
    ts[at + i] = t;
  }
  if (!n) return 0;
  const out = new Uint8Array(vs.buffer, vs.byteOffset, vs.byteLength);
  // the previous value is copied as two 32-bit words (exact bits, and 4× fewer moves than bytes)
  const words = new Uint32Array(vs.buffer, vs.byteOffset, vs.length * 2);
  let o = at * 8;
  if (pos + 8 > data.length) corrupt();
  for (let b = 0; b < 8; b++) out[o + b] = data[pos++]!;
  for (let i = 1; i < n; i++) {
    o += 8;
    const p = o - 8;
    if (pos >= data.length) corrupt();
    const h = data[pos++]!;
    const w = (at + i) * 2;
    words[w] = words[w - 2]!;
    words[w + 1] = words[w - 1]!;
    if (h === 0) continue;
    const lead = (h >> 3) & 7;
    const trail = h & 7;
    if (pos + 8 - lead - trail > data.length) corrupt();
    for (let b = 7 - lead; b >= trail; b--) out[o + b] = out[p + b]! ^ data[pos++]!;
  }
  return n;
}

/** The first varint of a chunk: its sample count, without decoding it. */
export function chunkCount(data: Uint8Array): number {
  let r = 0;
  let mul = 1;
  for (let pos = 0; pos < data.length; pos++) {
    const b = data[pos]!;
    r += (b & 0x7f) * mul;
    if (b < 0x80) return r;
    mul *= 128;
  }
  return corrupt();
}

export interface WalSeries {
  id: number;
  ts: Float64Array;
  vs: Float64Array;
}

/** Encodes one commit's accepted samples. */
export function encodeWal(series: WalSeries[]): Buffer {
  let n = 0;
  for (const s of series) n += s.ts.length;
  const headerBytes = (4 * (1 + 2 * series.length) + 7) & ~7;
  const buf = Buffer.alloc(headerBytes + n * 16);
  const out = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  buf.writeUInt32LE(series.length, 0);
  let h = 4;
  let off = headerBytes;
  const vOff = headerBytes + n * 8;
  let k = 0;
  for (const s of series) {
    buf.writeUInt32LE(s.id, h);
    buf.writeUInt32LE(s.ts.length, h + 4);
    h += 8;
    out.set(new Uint8Array(s.ts.buffer, s.ts.byteOffset, s.ts.byteLength), off);
    out.set(new Uint8Array(s.vs.buffer, s.vs.byteOffset, s.vs.byteLength), vOff + k * 8);
    off += s.ts.byteLength;
    k += s.ts.length;
  }
  return buf;
}

/**
 * Walks a WAL record, calling back for each series that `want` accepts with its samples
 * (fresh arrays; record byte offsets need not be aligned).
 */
export function decodeWal(data: Uint8Array, want: ((id: number) => boolean) | undefined, cb: (s: WalSeries) => void): void {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length < 4) corrupt();
  const count = dv.getUint32(0, true);
  const headerBytes = (4 * (1 + 2 * count) + 7) & ~7;
  let total = 0;
  for (let i = 0; i < count; i++) total += dv.getUint32(8 + i * 8, true);
  if (data.length !== headerBytes + total * 16) corrupt();
  let k = 0;
  for (let i = 0; i < count; i++) {
    const id = dv.getUint32(4 + i * 8, true);
    const n = dv.getUint32(8 + i * 8, true);
    if (!want || want(id)) {
      const ts = new Float64Array(n);
      const vs = new Float64Array(n);
      new Uint8Array(ts.buffer).set(data.subarray(headerBytes + k * 8, headerBytes + (k + n) * 8));
      new Uint8Array(vs.buffer).set(data.subarray(headerBytes + (total + k) * 8, headerBytes + (total + k + n) * 8));
      cb({ id, ts, vs });
    }
    k += n;
  }
}

/** Sorted merge of runs (timestamps unique across runs, except that the first run wins a tie). */
export function mergeRuns(runs: Run[]): Run {
  if (runs.length === 1) return runs[0]!;
  let n = 0;
  for (const r of runs) n += r.ts.length;
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  let o = 0;
  let sorted = true;
  for (const r of runs) {
    if (o && r.ts.length && r.ts[0]! <= ts[o - 1]!) sorted = false;
    ts.set(r.ts, o);
    vs.set(r.vs, o);
    o += r.ts.length;
  }
  if (sorted) return { ts, vs };
  // rare (late samples): stable sort by time, then drop repeated timestamps
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => ts[a]! - ts[b]! || a - b);
  const ts2 = new Float64Array(n);
  const vs2 = new Float64Array(n);
  let m = 0;
  for (const i of idx) {
    if (m && ts2[m - 1] === ts[i]) continue;
    ts2[m] = ts[i]!;
    vs2[m] = vs[i]!;
    m++;
  }
  return { ts: ts2.subarray(0, m), vs: vs2.subarray(0, m) };
}
