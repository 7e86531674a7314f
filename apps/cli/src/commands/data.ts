// Telemetry from the command line: `sreworks logs` (LogQL on the Loki API), `sreworks events`
// (event search) and `sreworks metric` (the DataOps catalogue of metric definitions).
import type { Command } from 'commander';
import { clientFor } from '../client.js';
import { formatOf, print } from '../output.js';
import { formatQueryResult, parseDurationSeconds } from './query.js';

interface LokiStream {
  stream: Record<string, string>;
  values: [string, string][];
}

function labelsText(l: Record<string, string>): string {
  return '{' + Object.keys(l).sort().map((k) => `${k}=${JSON.stringify(l[k])}`).join(', ') + '}';
}

/** Log lines of every stream merged and ordered by time (the direction the query asked for). */
export function formatStreams(streams: LokiStream[], direction: 'forward' | 'backward'): string {
  const lines = streams.flatMap((s) => s.values.map(([ts, line]) => ({ ts: BigInt(ts), labels: labelsText(s.stream), line })));
  lines.sort((a, b) => (a.ts === b.ts ? 0 : (a.ts < b.ts) === (direction === 'forward') ? -1 : 1));
  if (!lines.length) return '(no lines)';
  return lines.map((l) => `${new Date(Number(l.ts / 1_000_000n)).toISOString()}  ${l.labels}  ${l.line}`).join('\n');
}

export function registerDataCommands(program: Command): void {
  program
    .command('logs')
    .description('run a LogQL query on the platform (log lines, or a metric query such as rate(...))')
    .argument('<logql>', 'LogQL, e.g. {app="api"} |= "error"')
    .option('--since <duration>', 'how far back', '1h')
    .option('--limit <n>', 'most lines to return', '100')
    .option('--forward', 'oldest first (default: newest first)')
    .action(async (logql: string, o, cmd: Command) => {
      const since = parseDurationSeconds(o.since, '--since');
      const end = BigInt(Date.now()) * 1_000_000n;
      const start = end - BigInt(Math.round(since * 1e9));
      const direction = o.forward ? 'forward' : 'backward';
      const q = new URLSearchParams({ query: logql, start: String(start), end: String(end), limit: String(o.limit), direction });
      const res = await clientFor(cmd).request('GET', `/loki/api/v1/query_range?${q}`);
      const format = formatOf(cmd);
      if (format !== 'table') return print(res.data, format);
      const data = res.data as { resultType: string; result: unknown };
      process.stdout.write((data.resultType === 'streams' ? formatStreams(data.result as LokiStream[], direction) : formatQueryResult(data)) + '\n');
    });

  program
    .command('events')
    .description('search events (Kubernetes events, deployment events, …), newest first')
    .option('--since <duration>', 'how far back', '24h')
    .option('--labels <selector>', 'a {type="Warning"} selector or key=value pairs separated by commas')
    .option('-q, --query <text>', 'words that must appear in the reason or message')
    .option('--limit <n>', 'most events', '100')
    .action(async (o, cmd: Command) => {
      const to = Date.now();
      const q = new URLSearchParams({ from: String(to - parseDurationSeconds(o.since, '--since') * 1000), to: String(to), limit: String(o.limit) });
      if (o.labels) q.set('labels', o.labels);
      if (o.query) q.set('q', o.query);
      const page = await clientFor(cmd).request('GET', `/api/events?${q}`);
      const format = formatOf(cmd);
      if (format !== 'table') return print(page.items, format);
      const rows = (page.items as Array<{ time: number; labels: Record<string, string>; type: string; reason: string; count: number; message: string }>).map((e) => ({
        time: new Date(e.time).toISOString(), type: e.type, reason: e.reason, count: e.count, labels: labelsText(e.labels), message: e.message,
      }));
      print(rows, format, ['time', 'type', 'reason', 'count', 'labels', 'message']);
    });

  const metric = program.command('metric').description('the DataOps catalogue: metric definitions (name, labels, owner, PromQL of derived metrics)');
  metric.command('list').option('--team <id>').action(async (o, cmd: Command) => {
    print(await clientFor(cmd).list(`/api/dataops/metrics${o.team ? `?teamId=${encodeURIComponent(o.team)}` : ''}`), formatOf(cmd), ['id', 'name', 'type', 'unit', 'owner', 'promql']);
  });
  metric
    .command('add <name>')
    .requiredOption('--team <id>', 'owning team id')
    .option('--type <type>', 'counter | gauge | histogram | summary | derived', 'gauge')
    .option('--unit <unit>')
    .option('--labels <list>', 'label names, comma separated')
    .option('--owner <owner>')
    .option('-d, --description <text>')
    .option('--promql <expr>', 'PromQL of a derived metric (checked by the server)')
    .action(async (name: string, o, cmd: Command) => {
      const body: Record<string, unknown> = { teamId: o.team, name, type: o.type };
      for (const k of ['unit', 'owner', 'description', 'promql'] as const) if (o[k]) body[k] = o[k];
      if (o.labels) body.labels = String(o.labels).split(',').map((s) => s.trim()).filter(Boolean);
      print(await clientFor(cmd).request('POST', '/api/dataops/metrics', body), formatOf(cmd), ['id', 'name', 'type', 'promql']);
    });
  metric.command('delete <id>').action(async (id: string, _o, cmd: Command) => {
    await clientFor(cmd).request('DELETE', `/api/dataops/metrics/${encodeURIComponent(id)}`);
    process.stdout.write(`deleted metric ${id}\n`);
  });
}
