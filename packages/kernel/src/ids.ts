import { randomBytes, randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/** Time-ordered, URL-safe id: 10 chars of milliseconds + 16 random chars (ULID layout). */
export function newId(now: number = Date.now()): string {
  let t = now;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  if (poolAt + 16 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[pool[poolAt + i]! % 32];
  poolAt += 16;
  return time + rand;
}

// Ids are made on every request (request ids, audit rows): one CSPRNG call per 256 ids instead of
// one per id. Not used for secrets (randomToken draws fresh bytes).
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

/** A random secret token, base64url, `bytes` of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
