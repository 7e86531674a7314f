import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSealer, hashPassword, loadSealingKey, scopeAllows, verifyPassword } from '../src/index.js';

describe('sealing', () => {
  it('seals and opens; a different key cannot open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-k-'));
    const key = loadSealingKey({ keyFile: join(dir, 'secret.key') });
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(loadSealingKey({ keyFile: join(dir, 'secret.key') }).equals(key)).toBe(true);
    const s = createSealer(key);
    const sealed = s.seal('apiVersion: v1\nkind: Config');
    expect(sealed).not.toContain('Config');
    expect(s.open(sealed)).toBe('apiVersion: v1\nkind: Config');
    const other = createSealer(loadSealingKey({ envValue: 'another', keyFile: '/nonexistent' }));
    expect(() => other.open(sealed)).toThrow(/cannot be opened/);
  });
});

describe('passwords', () => {
  it('hashes with scrypt and verifies', async () => {
    const h = await hashPassword('correct horse');
    expect(h.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('correct horse', h)).toBe(true);
    expect(await verifyPassword('wrong', h)).toBe(false);
  });
});

describe('token scopes', () => {
  it('matches patterns', () => {
    expect(scopeAllows(['*'], 'app.deploy')).toBe(true);
    expect(scopeAllows(['app.*'], 'app.deploy')).toBe(true);
    expect(scopeAllows(['*.read'], 'app.deploy')).toBe(false);
    expect(scopeAllows(['*.read'], 'cluster.read')).toBe(true);
  });
});
