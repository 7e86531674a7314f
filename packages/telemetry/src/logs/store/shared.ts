import { InputError } from '@sreworks/kernel';
import type { EventInput } from '../types.js';

export function encodeCursor(time: number, id: string): string {
  return Buffer.from(JSON.stringify([time, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { ts: number; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return { ts: v[0], id: v[1] };
  } catch {
    // fall through to the error below
  }
  throw new InputError('cursor is not one this API returned', { field: 'cursor' }, 'EVENTS_CURSOR');
}

/** Lower-cased words of a free-text query; every one must occur. */
export function textTerms(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t.length > 0);
}

export function eventFingerprintOrNull(e: EventInput): string | null {
  return e.fingerprint && e.fingerprint.length > 0 ? e.fingerprint : null;
}
