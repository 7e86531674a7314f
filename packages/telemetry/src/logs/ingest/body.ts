import { gunzipSync, inflateSync } from 'node:zlib';
import snappy from 'snappy';
import { InputError } from '@sreworks/kernel';

export interface IngestLimits {
  /** Longest accepted line in bytes (Loki's max_line_size default is 256 KB). */
  maxLineBytes: number;
  /** Largest body after decompression (OTLP recommends 20 MiB). */
  maxDecodedBytes: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = { maxLineBytes: 256 * 1024, maxDecodedBytes: 20 * 1024 * 1024 };

/** Undo Content-Encoding (gzip, deflate, snappy block format); errors name the header. */
export function decodeBody(body: Buffer, encoding: string | undefined, limits: IngestLimits, area: string): Buffer {
  const enc = (encoding ?? '').trim().toLowerCase();
  let out: Buffer;
  try {
    if (enc === '' || enc === 'identity') out = body;
    else if (enc === 'gzip' || enc === 'x-gzip') out = gunzipSync(body, { maxOutputLength: limits.maxDecodedBytes + 1 });
    else if (enc === 'deflate') out = inflateSync(body, { maxOutputLength: limits.maxDecodedBytes + 1 });
    else if (enc === 'snappy') out = snappyDecode(body, limits);
    else throw new InputError(`unsupported Content-Encoding "${encoding}" (gzip, deflate or snappy)`, { field: 'headers.content-encoding' }, `${area}_ENCODING`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`body is not valid ${enc} data: ${(e as Error).message}`, { field: 'body' }, `${area}_ENCODING`, e);
  }
  if (out.length > limits.maxDecodedBytes) {
    throw new InputError(`decoded body is larger than ${limits.maxDecodedBytes} bytes`, { field: 'body' }, `${area}_TOO_LARGE`);
  }
  return out;
}

/** Snappy block format (not framed), as Loki and remote_write send it. */
export function snappyDecode(body: Buffer, limits: IngestLimits): Buffer {
  // The block format starts with the uncompressed length as a varint: refuse bombs up front.
  let len = 0;
  let shift = 0;
  for (let i = 0; i < 5 && i < body.length; i++) {
    const b = body[i]!;
    len += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  if (len > limits.maxDecodedBytes) throw new Error(`uncompressed size ${len} exceeds ${limits.maxDecodedBytes}`);
  return snappy.uncompressSync(body, { asBuffer: true }) as Buffer;
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function parseJsonBody(buf: Buffer, area: string): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw new InputError(`body is not valid JSON: ${(e as Error).message}`, { field: 'body' }, `${area}_JSON`, e);
  }
}

export function checkLine(line: string, field: string, limits: IngestLimits, area: string): void {
  // Cheap bound first: a JS string of n UTF-16 units is at most 3n UTF-8 bytes.
  if (line.length * 3 > limits.maxLineBytes && Buffer.byteLength(line) > limits.maxLineBytes) {
    throw new InputError(`line is longer than the limit of ${limits.maxLineBytes} bytes`, { field }, `${area}_LINE_TOO_LONG`);
  }
}

/** Protobuf 64-bit values decode as Long objects (or numbers); ns timestamps need exact bigints. */
export function longToBigInt(v: unknown): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'string') return BigInt(v);
  const l = v as { low: number; high: number; unsigned: boolean };
  const n = (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
  return !l.unsigned && l.high < 0 ? n - (1n << 64n) : n;
}
