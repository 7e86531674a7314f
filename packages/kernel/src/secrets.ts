// Sealing of secrets at rest (kubeconfigs, git credentials, webhook secrets): AES-256-GCM with a
// key from SREWORKS_SECRET_KEY or a key file created once in the data dir with mode 0600.
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PlatformError } from './errors.js';

const PREFIX = 'sealed:v1:';

export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
  isSealed(value: string): boolean;
}

export function createSealer(key: Buffer): Sealer {
  if (key.length !== 32) throw new Error('sealing key must be 32 bytes');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      if (!sealed.startsWith(PREFIX)) throw new PlatformError('SECRET_NOT_SEALED', 500, 'value is not sealed');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
      } catch (e) {
        throw new PlatformError('SECRET_KEY_MISMATCH', 500, 'sealed value cannot be opened with this key', undefined, e);
      }
    },
    isSealed: (v) => v.startsWith(PREFIX),
  };
}

/** Key from the environment value (any string, hashed to 32 bytes) or from/into a 0600 key file. */
export function loadSealingKey(opts: { envValue?: string; keyFile: string }): Buffer {
  if (opts.envValue) return createHash('sha256').update(opts.envValue).digest();
  if (existsSync(opts.keyFile)) {
    const k = Buffer.from(readFileSync(opts.keyFile, 'utf8').trim(), 'base64');
    if (k.length !== 32) throw new Error(`key file ${opts.keyFile} does not hold a 32-byte base64 key`);
    return k;
  }
  mkdirSync(dirname(opts.keyFile), { recursive: true });
  const k = randomBytes(32);
  writeFileSync(opts.keyFile, k.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(opts.keyFile, 0o600);
  return k;
}

// Password hashing with scrypt (N=2^15, r=8, p=1), stored as scrypt$N$r$p$salt$hash.
const SCRYPT = { N: 32768, r: 8, p: 1, keylen: 32 };

function scryptAsync(pw: string, salt: Buffer, n: number, r: number, p: number, keylen: number): Promise<Buffer> {
  return new Promise((res, rej) =>
    scrypt(pw, salt, keylen, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) => (err ? rej(err) : res(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keylen);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts;
  const expected = Buffer.from(hash!, 'base64');
  const key = await scryptAsync(password, Buffer.from(salt!, 'base64'), Number(n), Number(r), Number(p), expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Tokens are high-entropy, so a plain SHA-256 is the right at-rest form (fast lookup, no salt needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
