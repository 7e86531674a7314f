// Data sources of kind `scrape` carry a scrape job in their config; the server builds its
// ScrapeManager from them (loadScrapeJobs) at start.
import { InputError, z } from '@sreworks/kernel';
import type { Store } from '@sreworks/store';
import { compileRelabel } from '../ingest/relabel.js';
import type { ScrapeJob } from '../ingest/scrape.js';
import { CatalogRepo } from './repo.js';

const relabel = z.strictObject({
  action: z.enum(['replace', 'keep', 'drop', 'labelmap', 'labeldrop', 'labelkeep']).optional(),
  source_labels: z.array(z.string()).optional(),
  separator: z.string().optional(),
  regex: z.string().optional(),
  target_label: z.string().optional(),
  replacement: z.string().optional(),
});

export const scrapeSourceConfig = z.strictObject({
  targets: z.array(z.strictObject({ url: z.url({ protocol: /^https?$/ }), labels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string()).optional() })).min(1),
  intervalMs: z.number().int().min(1000).max(3_600_000).optional(),
  timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
  relabelConfigs: z.array(relabel).optional(),
  metricRelabelConfigs: z.array(relabel).optional(),
  honorLabels: z.boolean().optional(),
});

/** Checks a scrape data source's config; throws InputError naming body.config.<path>. */
export function validateScrapeConfig(config: unknown): z.infer<typeof scrapeSourceConfig> {
  const r = scrapeSourceConfig.safeParse(config);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = ['body', 'config', ...issue.path.map(String)].join('.');
    throw new InputError(`${path}: ${issue.message}`, { field: path }, 'TELEMETRY_SCRAPE_CONFIG');
  }
  const c = r.data;
  if (c.timeoutMs !== undefined && c.timeoutMs > (c.intervalMs ?? 15_000)) {
    throw new InputError('body.config.timeoutMs: the timeout must not exceed the interval', { field: 'body.config.timeoutMs' }, 'TELEMETRY_SCRAPE_CONFIG');
  }
  compileRelabel(c.relabelConfigs ?? [], 'body.config.relabelConfigs');
  compileRelabel(c.metricRelabelConfigs ?? [], 'body.config.metricRelabelConfigs');
  return c;
}

/** Scrape jobs of every team's `scrape` data sources; series carry a `team` label. */
export async function loadScrapeJobs(store: Store): Promise<ScrapeJob[]> {
  const repo = new CatalogRepo(store);
  const jobs: ScrapeJob[] = [];
  let cursor: string | undefined;
  do {
    const page = await repo.listDataSources({ limit: 500, cursor });
    for (const ds of page.items) {
      if (ds.kind !== 'scrape') continue;
      const c = scrapeSourceConfig.parse(ds.config);
      jobs.push({
        job: ds.name,
        targets: c.targets.map((t) => ({ url: t.url, labels: { team: ds.teamId, ...t.labels } })),
        intervalMs: c.intervalMs,
        timeoutMs: c.timeoutMs,
        relabelConfigs: c.relabelConfigs,
        metricRelabelConfigs: c.metricRelabelConfigs,
        honorLabels: c.honorLabels,
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return jobs;
}
