import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSealer } from '@sreworks/kernel';
import { migrate, type Store } from '@sreworks/store';
import { testDialects } from '@sreworks/store/testing';
import { BuildSecretStore, normaliseBuildSecret, oamMigrations } from '../src/index.js';

const sealer = createSealer(Buffer.alloc(32, 7));

describe('build secret fields', () => {
  it('normalises registry and git credentials and names the bad field', () => {
    expect(normaliseBuildSecret('git', { token: 't0k' })).toEqual({ username: 'x-access-token', password: 't0k' });
    expect(normaliseBuildSecret('git', { username: 'bob', password: 'pw' })).toEqual({ username: 'bob', password: 'pw' });
    expect(normaliseBuildSecret('registry', { username: 'ci', password: 'pw' })).toEqual({ username: 'ci', password: 'pw' });
    expect(normaliseBuildSecret('registry', { dockerconfigjson: '{"auths":{"r.io":{"auth":"eDp5"}}}' })).toEqual({ dockerconfigjson: '{"auths":{"r.io":{"auth":"eDp5"}}}' });
    const field = (kind: 'git' | 'registry', data: unknown) => {
      try {
        normaliseBuildSecret(kind, data);
      } catch (e) {
        return (e as { details?: { field?: string } }).details?.field;
      }
      return 'no error';
    };
    expect(field('git', {})).toBe('body.data.token');
    expect(field('git', { password: 'x' })).toBe('body.data.username');
    expect(field('git', { token: 'a', password: 'b', username: 'c' })).toBe('body.data.token');
    expect(field('git', { tokn: 'a' })).toBe('body.data');
    expect(field('registry', { username: 'ci' })).toBe('body.data.password');
    expect(field('registry', { dockerconfigjson: 'not json' })).toBe('body.data.dockerconfigjson');
  });
});

for (const dialect of testDialects()) {
  describe(`build secret store on ${dialect.name}`, () => {
    let h: Awaited<ReturnType<typeof dialect.open>>;
    let store: Store;
    beforeAll(async () => {
      h = await dialect.open();
      store = h.store;
      await migrate(store, oamMigrations);
    });
    afterAll(async () => {
      await h?.dispose();
    });

    it('seals values, replaces on set, lists names only, resolves for builds, deletes', async () => {
      const s = new BuildSecretStore(store, sealer);
      const a = await s.set('team-a', 'push', 'registry', { username: 'ci', password: 'first-PW' }, 'alice');
      expect(a).toMatchObject({ team: 'team-a', name: 'push', kind: 'registry', fields: ['password', 'username'], updatedBy: 'alice' });
      const b = await s.set('team-a', 'push', 'registry', { registry: 'r.example.com', username: 'ci', password: 'second-PW' }, 'bob');
      expect(b).toMatchObject({ fields: ['password', 'registry', 'username'], updatedBy: 'bob', createdAt: a.createdAt });
      await s.set('team-b', 'push', 'git', { token: 'b-token' });
      const rows = await store.db.selectFrom('oam_build_secret').selectAll().execute();
      expect(rows).toHaveLength(2);
      expect(JSON.stringify(rows)).not.toMatch(/second-PW|first-PW|b-token/);
      expect(await s.resolve('team-a', 'push')).toEqual({ registry: 'r.example.com', username: 'ci', password: 'second-PW' });
      expect(await s.resolve('team-b', 'push')).toEqual({ username: 'x-access-token', password: 'b-token' });
      expect(await s.resolve('team-c', 'push')).toBeUndefined();
      expect((await s.list(['team-a'])).map((x) => `${x.team}/${x.name}`)).toEqual(['team-a/push']);
      expect(JSON.stringify(await s.list(undefined))).not.toMatch(/PW|token"/);
      await expect(s.set('team-a', 'Bad Name', 'git', { token: 'x' })).rejects.toMatchObject({ code: 'OAM_BUILD_SECRET', details: { field: 'params.name' } });
      await s.delete('team-a', 'push');
      await expect(s.delete('team-a', 'push')).rejects.toMatchObject({ code: 'OAM_BUILD_SECRET_NOT_FOUND' });
      // another key cannot open them
      const other = new BuildSecretStore(store, createSealer(Buffer.alloc(32, 9)));
      await expect(other.resolve('team-b', 'push')).rejects.toMatchObject({ code: 'SECRET_KEY_MISMATCH' });
    });
  });
}
