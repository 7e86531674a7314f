// Pages in the state store. Every save is a new immutable version; a page points at its current
// draft and its published version. Built-in ops-app pages are seeded as published versions and
// republished when their file changes, unless someone has edited the page since.
import { createHash } from 'node:crypto';
import { ConflictError, InputError, NotFoundError } from '@sreworks/kernel';
import { clampLimit, decodeCursor, fromJson, nowIso, toJson, toPage, type Kysely, type Page, type Store } from '@sreworks/store';
import { AppManifest, PAGE_SCHEMA_VERSION, type PageDef } from './schema.js';
import type { OpsApp } from './ops-apps.js';

export interface PageSummary {
  appId: string;
  pageId: string;
  title: string;
  draftVersion: number | null;
  publishedVersion: number | null;
  latestVersion: number;
  source: 'builtin' | 'user' | 'import';
  updatedAt: string;
  updatedBy: string | null;
}

export interface PageVersion {
  version: number;
  status: 'draft' | 'published' | 'old';
  comment: string | null;
  createdAt: string;
  createdBy: string | null;
}

export interface AppRecord extends AppManifest {
  source: 'builtin' | 'user' | 'import';
  updatedAt: string;
}

export interface ExportBundle {
  schemaVersion: typeof PAGE_SCHEMA_VERSION;
  app: AppManifest;
  pages: PageDef[];
}

function hash(v: unknown): string {
  return createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 32);
}

function pageRow(r: any): PageSummary {
  return {
    appId: r.app_id,
    pageId: r.page_id,
    title: r.title,
    draftVersion: r.draft_version === null || r.draft_version === undefined ? null : Number(r.draft_version),
    publishedVersion: r.published_version === null || r.published_version === undefined ? null : Number(r.published_version),
    latestVersion: Number(r.latest_version),
    source: r.source,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by ?? null,
  };
}

export class PageStore {
  constructor(private readonly store: Store) {}

  private get db(): Kysely<any> {
    return this.store.db;
  }

  // ------------------------------------------------------------------------------------- apps

  async upsertApp(manifest: AppManifest, source: AppRecord['source'], db: Kysely<any> = this.db): Promise<void> {
    const row = { manifest: toJson(manifest), source, sort_order: manifest.order ?? 100, updated_at: nowIso() };
    const exists = await db.selectFrom('lowcode_apps').select('id').where('id', '=', manifest.id).executeTakeFirst();
    if (exists) await db.updateTable('lowcode_apps').set(row).where('id', '=', manifest.id).execute();
    else await db.insertInto('lowcode_apps').values({ id: manifest.id, ...row }).execute();
  }

  async listApps(limit?: number, cursor?: string): Promise<Page<AppRecord>> {
    const n = clampLimit(limit);
    const after = decodeCursor(cursor);
    let q = this.db.selectFrom('lowcode_apps').selectAll().orderBy('id').limit(n + 1);
    if (after !== undefined) q = q.where('id', '>', String(after));
    const rows = await q.execute();
    const page = toPage(rows, n, (r: any) => r.id);
    // portal order: manifest order, then name; the cursor still walks ids
    return { items: page.items.map(toApp), nextCursor: page.nextCursor };
  }

  async getApp(id: string): Promise<AppRecord> {
    const r = await this.db.selectFrom('lowcode_apps').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFoundError(`no app "${id}"`, 'LOWCODE_APP_NOT_FOUND', { field: 'params.appId' });
    return toApp(r);
  }

  // ------------------------------------------------------------------------------------ pages

  async listPages(appId: string, limit?: number, cursor?: string): Promise<Page<PageSummary>> {
    await this.getApp(appId);
    const n = clampLimit(limit);
    const after = decodeCursor(cursor);
    let q = this.db.selectFrom('lowcode_pages').selectAll().where('app_id', '=', appId).orderBy('page_id').limit(n + 1);
    if (after !== undefined) q = q.where('page_id', '>', String(after));
    const rows = await q.execute();
    const page = toPage(rows, n, (r: any) => r.page_id);
    return { items: page.items.map(pageRow), nextCursor: page.nextCursor };
  }

  async summary(appId: string, pageId: string, db: Kysely<any> = this.db): Promise<PageSummary | undefined> {
    const r = await db.selectFrom('lowcode_pages').selectAll().where('app_id', '=', appId).where('page_id', '=', pageId).executeTakeFirst();
    return r ? pageRow(r) : undefined;
  }

  /** `which`: "published" (falls back to nothing), "draft" (falls back to published), or a number. */
  async getPage(appId: string, pageId: string, which: 'published' | 'draft' | number = 'published'): Promise<{ page: PageDef; version: number; status: PageVersion['status'] }> {
    const s = await this.summary(appId, pageId);
    if (!s) throw new NotFoundError(`no page "${pageId}" in app "${appId}"`, 'LOWCODE_PAGE_NOT_FOUND', { field: 'params.pageId' });
    const version = which === 'published' ? s.publishedVersion : which === 'draft' ? (s.draftVersion ?? s.publishedVersion) : which;
    if (version === null) throw new NotFoundError(`page "${appId}/${pageId}" has no published version yet`, 'LOWCODE_PAGE_UNPUBLISHED', { field: 'query.version' });
    const r = await this.db.selectFrom('lowcode_page_versions').select('def').where('app_id', '=', appId).where('page_id', '=', pageId).where('version', '=', version).executeTakeFirst();
    if (!r) throw new NotFoundError(`page "${appId}/${pageId}" has no version ${version}`, 'LOWCODE_VERSION_NOT_FOUND', { field: 'query.version' });
    return { page: fromJson<PageDef>(r.def), version, status: statusOf(s, version) };
  }

  async listVersions(appId: string, pageId: string): Promise<PageVersion[]> {
    const s = await this.summary(appId, pageId);
    if (!s) throw new NotFoundError(`no page "${pageId}" in app "${appId}"`, 'LOWCODE_PAGE_NOT_FOUND', { field: 'params.pageId' });
    const rows = await this.db.selectFrom('lowcode_page_versions').select(['version', 'comment', 'created_at', 'created_by']).where('app_id', '=', appId).where('page_id', '=', pageId).orderBy('version', 'desc').execute();
    return rows.map((r: any) => ({ version: Number(r.version), status: statusOf(s, Number(r.version)), comment: r.comment ?? null, createdAt: r.created_at, createdBy: r.created_by ?? null }));
  }

  /** Stores a new draft version (the page must already be valid; the caller validates). */
  async saveDraft(page: PageDef, opts: { user?: string; comment?: string; source?: PageSummary['source']; expectedVersion?: number } = {}, db?: Kysely<any>): Promise<PageSummary> {
    const run = async (trx: Kysely<any>) => {
      const app = await trx.selectFrom('lowcode_apps').select('id').where('id', '=', page.app).executeTakeFirst();
      if (!app) throw new NotFoundError(`no app "${page.app}"`, 'LOWCODE_APP_NOT_FOUND', { field: 'body.page.app' });
      const s = await this.summary(page.app, page.id, trx);
      if (opts.expectedVersion !== undefined && (s?.latestVersion ?? 0) !== opts.expectedVersion) {
        throw new ConflictError(`page "${page.app}/${page.id}" changed meanwhile (latest version ${s?.latestVersion ?? 0}, expected ${opts.expectedVersion})`, 'LOWCODE_PAGE_CHANGED', { field: 'body.expectedVersion' });
      }
      const version = (s?.latestVersion ?? 0) + 1;
      const now = nowIso();
      await trx.insertInto('lowcode_page_versions').values({ app_id: page.app, page_id: page.id, version, def: toJson(page), comment: opts.comment ?? null, created_at: now, created_by: opts.user ?? null }).execute();
      if (s) {
        await trx.updateTable('lowcode_pages').set({ title: page.title, draft_version: version, latest_version: version, source: opts.source ?? 'user', updated_at: now, updated_by: opts.user ?? null }).where('app_id', '=', page.app).where('page_id', '=', page.id).execute();
      } else {
        await trx.insertInto('lowcode_pages').values({ app_id: page.app, page_id: page.id, title: page.title, draft_version: version, published_version: null, latest_version: version, source: opts.source ?? 'user', builtin_hash: null, updated_at: now, updated_by: opts.user ?? null }).execute();
      }
      return (await this.summary(page.app, page.id, trx))!;
    };
    return db ? run(db) : this.db.transaction().execute(run);
  }

  /** Publishes the draft (or a given older version, which is a rollback). */
  async publish(appId: string, pageId: string, opts: { version?: number; user?: string } = {}, db?: Kysely<any>): Promise<PageSummary> {
    const run = async (trx: Kysely<any>) => {
      const s = await this.summary(appId, pageId, trx);
      if (!s) throw new NotFoundError(`no page "${pageId}" in app "${appId}"`, 'LOWCODE_PAGE_NOT_FOUND', { field: 'params.pageId' });
      const version = opts.version ?? s.draftVersion;
      if (version === null || version === undefined) throw new InputError(`page "${appId}/${pageId}" has no draft to publish`, { field: 'body.version' }, 'LOWCODE_NO_DRAFT');
      const exists = await trx.selectFrom('lowcode_page_versions').select('version').where('app_id', '=', appId).where('page_id', '=', pageId).where('version', '=', version).executeTakeFirst();
      if (!exists) throw new NotFoundError(`page "${appId}/${pageId}" has no version ${version}`, 'LOWCODE_VERSION_NOT_FOUND', { field: 'body.version' });
      await trx
        .updateTable('lowcode_pages')
        .set({ published_version: version, draft_version: s.draftVersion === version ? null : s.draftVersion, updated_at: nowIso(), updated_by: opts.user ?? null })
        .where('app_id', '=', appId)
        .where('page_id', '=', pageId)
        .execute();
      return (await this.summary(appId, pageId, trx))!;
    };
    return db ? run(db) : this.db.transaction().execute(run);
  }

  async deletePage(appId: string, pageId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const s = await this.summary(appId, pageId, trx);
      if (!s) throw new NotFoundError(`no page "${pageId}" in app "${appId}"`, 'LOWCODE_PAGE_NOT_FOUND', { field: 'params.pageId' });
      await trx.deleteFrom('lowcode_page_versions').where('app_id', '=', appId).where('page_id', '=', pageId).execute();
      await trx.deleteFrom('lowcode_pages').where('app_id', '=', appId).where('page_id', '=', pageId).execute();
    });
  }

  async exportApp(appId: string, which: 'published' | 'draft' = 'published'): Promise<ExportBundle> {
    const app = await this.getApp(appId);
    const { source: _s, updatedAt: _u, ...manifest } = app;
    const rows = await this.db.selectFrom('lowcode_pages').selectAll().where('app_id', '=', appId).orderBy('page_id').execute();
    const pages: PageDef[] = [];
    for (const r of rows.map(pageRow)) {
      const v = which === 'draft' ? (r.draftVersion ?? r.publishedVersion) : r.publishedVersion;
      if (v === null) continue;
      pages.push((await this.getPage(appId, r.pageId, v)).page);
    }
    return { schemaVersion: PAGE_SCHEMA_VERSION, app: manifest, pages };
  }

  /** Imports an app and its pages in one transaction: all of it or nothing. */
  async importBundle(bundle: { app: AppManifest; pages: PageDef[] }, opts: { publish?: boolean; user?: string; source?: 'import' | 'user' } = {}): Promise<PageSummary[]> {
    return this.db.transaction().execute(async (trx) => {
      await this.upsertApp(bundle.app, opts.source ?? 'import', trx);
      const out: PageSummary[] = [];
      for (const p of bundle.pages) {
        let s = await this.saveDraft(p, { user: opts.user, source: opts.source ?? 'import', comment: 'import' }, trx);
        if (opts.publish) s = await this.publish(p.app, p.id, { user: opts.user }, trx);
        out.push(s);
      }
      return out;
    });
  }

  /** Seeds the built-in ops apps: new pages are published; changed files republish unedited pages. */
  async seedBuiltin(apps: readonly OpsApp[]): Promise<{ published: string[]; kept: string[] }> {
    const published: string[] = [];
    const kept: string[] = [];
    for (const a of apps) {
      await this.db.transaction().execute(async (trx) => {
        await this.upsertApp(a.manifest, 'builtin', trx);
        for (const p of a.pages) {
          const h = hash(p);
          const r = await trx.selectFrom('lowcode_pages').select(['source', 'builtin_hash']).where('app_id', '=', p.app).where('page_id', '=', p.id).executeTakeFirst();
          if (r && (r.builtin_hash === h || r.source !== 'builtin')) {
            if (r.builtin_hash !== h) kept.push(`${p.app}/${p.id}`);
            continue;
          }
          await this.saveDraft(p, { source: 'builtin', comment: 'built-in ops app' }, trx);
          await this.publish(p.app, p.id, {}, trx);
          await trx.updateTable('lowcode_pages').set({ builtin_hash: h }).where('app_id', '=', p.app).where('page_id', '=', p.id).execute();
          published.push(`${p.app}/${p.id}`);
        }
      });
    }
    return { published, kept };
  }
}

function toApp(r: any): AppRecord {
  return { ...fromJson<AppManifest>(r.manifest), source: r.source, updatedAt: r.updated_at };
}

function statusOf(s: PageSummary, v: number): PageVersion['status'] {
  if (v === s.publishedVersion) return 'published';
  if (v === s.draftVersion) return 'draft';
  return 'old';
}
