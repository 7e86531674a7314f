// What happens to a chosen file before it is sent: the checks (type, size) and the request body.
// Pure functions, no React, so the rules are tested on their own.
import { formatBytes } from '../common/format.js';
import type { UploadEncoding } from './meta.js';

/** Why `accept` (the HTML attribute syntax) refuses the file, or undefined. */
export function acceptError(file: { name: string; type: string }, accept: string | undefined): string | undefined {
  const tokens = (accept ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  if (!tokens.length) return undefined;
  const name = file.name.toLowerCase();
  const type = (file.type || '').toLowerCase();
  const ok = tokens.some((t) => {
    if (t.startsWith('.')) return name.endsWith(t);
    if (t.endsWith('/*')) return type.startsWith(t.slice(0, -1));
    return type === t;
  });
  return ok ? undefined : `"${file.name}" is not an accepted type (${tokens.join(', ')})`;
}

export function sizeError(file: { name: string; size: number }, maxSize: number | undefined): string | undefined {
  if (!maxSize || file.size <= maxSize) return undefined;
  return `"${file.name}" is ${formatBytes(file.size)}; the limit is ${formatBytes(maxSize)}`;
}

/** "plugin.tgz" → "plugin", "x.tar.gz" → "x", "page.v2.json" → "page.v2". */
export function baseName(name: string): string {
  const m = /^(.+?)\.tar\.[a-z0-9]+$/i.exec(name) ?? /^(.+)\.[^.]+$/.exec(name);
  return m ? m[1]! : name;
}

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  // chunks keep String.fromCharCode under the argument-count limit
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export interface BodySpec {
  encoding: UploadEncoding;
  fieldName: string;
  nameField?: string;
  fields?: Record<string, string | number | boolean>;
}

export interface PreparedBody {
  body: Blob | FormData | string;
  contentType?: string;
}

/** Builds the request body; throws an Error with a user-facing message when the file cannot be encoded. */
export async function prepareBody(file: File, spec: BodySpec): Promise<PreparedBody> {
  const extra: Record<string, string | number | boolean> = { ...(spec.fields ?? {}) };
  if (spec.nameField) extra[spec.nameField] = baseName(file.name);
  switch (spec.encoding) {
    case 'multipart': {
      const fd = new FormData();
      for (const [k, v] of Object.entries(extra)) fd.append(k, String(v));
      fd.append(spec.fieldName, file, file.name);
      return { body: fd };
    }
    case 'raw':
      return { body: file, contentType: file.type || 'application/octet-stream' };
    case 'base64':
      return json({ ...extra, [spec.fieldName]: toBase64(new Uint8Array(await file.arrayBuffer())) });
    case 'text':
      return json({ ...extra, [spec.fieldName]: await file.text() });
    case 'json': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await file.text());
      } catch (e) {
        throw new Error(`"${file.name}" is not valid JSON: ${(e as Error).message}`);
      }
      return json({ ...extra, [spec.fieldName]: parsed });
    }
  }
}

function json(v: unknown): PreparedBody {
  return { body: JSON.stringify(v), contentType: 'application/json' };
}
