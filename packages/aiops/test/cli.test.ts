import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { anomaliesCommand, forecastCommand, logTemplatesCommand, parseCsv, periodsCommand, rcaCommand } from '../src/index.js';
import { registerAiopsCommands } from '../../../apps/cli/src/commands/aiops.js';

let dir: string;
const f = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aiops-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('aiops log-templates', () => {
  it('writes one row per line with a shared template for lines that differ in parameters', () => {
    const input = f('a.log', 'Connected to 10.0.0.1 port 22\nConnected to 10.0.0.7 port 2222\nDisk full on /var/log\n');
    const out = join(dir, 'a.csv');
    logTemplatesCommand({ input, output: out });
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows[0]).toEqual(['line', 'template_id', 'template']);
    expect(rows.length).toBe(4);
    expect(rows[1]![1]).toBe(rows[2]![1]);
    expect(rows[1]![2]).toBe('Connected to <*> port <*>');
    expect(rows[3]![1]).not.toBe(rows[1]![1]);
  });
  it('handles an empty file, non-UTF-8 bytes and a 100 KB line', () => {
    const out = join(dir, 'b.csv');
    logTemplatesCommand({ input: f('empty.log', ''), output: out });
    expect(readFileSync(out, 'utf8')).toBe('line,template_id,template\n');
    const bad = Buffer.concat([Buffer.from('user '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' logged in\n'), Buffer.from('x'.repeat(100_000) + ' y\n')]);
    const t0 = Date.now();
    logTemplatesCommand({ input: f('bad.log', bad), output: out });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(parseCsv(readFileSync(out, 'utf8')).length).toBe(3);
  });
  it('names the missing file', () => {
    expect(() => logTemplatesCommand({ input: join(dir, 'nope.log'), output: join(dir, 'x.csv') })).toThrow(/input/);
  });
});

describe('aiops anomalies', () => {
  it('scores every point in [0,1] and flags a spike', () => {
    const lines = ['timestamp,value'];
    for (let i = 0; i < 400; i++) lines.push(`${1_700_000_000 + i * 60},${i === 300 ? 100 : 10 + Math.sin(i / 5)}`);
    const out = join(dir, 'an.csv');
    anomaliesCommand({ input: f('s.csv', lines.join('\n')), output: out, detector: 'nsigma' });
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows[0]).toEqual(['timestamp', 'value', 'anomaly_score']);
    expect(rows.length).toBe(401);
    const scores = rows.slice(1).map((r) => Number(r[2]));
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(scores[300]).toBeGreaterThan(0.5);
    expect(Math.max(...scores.slice(0, 300))).toBeLessThan(0.5);
  });
  it('gives defined results for one point, NaN and constant series; errors on empty, disorder and unknown detector', () => {
    const out = join(dir, 'an2.csv');
    anomaliesCommand({ input: f('one.csv', '2024-01-01T00:00:00Z,5\n'), output: out });
    expect(parseCsv(readFileSync(out, 'utf8'))[1]).toEqual(['2024-01-01T00:00:00Z', '5', '0']);
    const nan = ['t,v', ...Array.from({ length: 50 }, (_, i) => `${i},${i === 20 ? 'NaN' : 3}`)].join('\n');
    anomaliesCommand({ input: f('nan.csv', nan), output: out, detector: 'nsigma' });
    const sc = parseCsv(readFileSync(out, 'utf8')).slice(1).map((r) => Number(r[2]));
    expect(sc.every((s) => s === 0)).toBe(true);
    expect(() => anomaliesCommand({ input: f('e.csv', ''), output: out })).toThrow(/empty/);
    expect(() => anomaliesCommand({ input: f('o.csv', '5,1\n3,2\n'), output: out })).toThrow(/time order/);
    expect(() => anomaliesCommand({ input: f('ok.csv', '1,1\n2,2\n'), output: out, detector: 'magic' })).toThrow(/unknown detector/);
  });
});

describe('aiops periods and forecast', () => {
  const seasonal = Array.from({ length: 240 }, (_, i) => 50 + 10 * Math.sin((2 * Math.PI * i) / 12) + i * 0.1).join('\n');
  it('finds period 12 and prints JSON on request', () => {
    const input = f('p.txt', seasonal);
    expect(periodsCommand({ input }).split('\n')[0]).toBe('12');
    const j = JSON.parse(periodsCommand({ input, json: true }));
    expect(j.periods[0].period).toBe(12);
  });
  it('reads timestamp,value input with a header and irregular, gappy rows', () => {
    const rows = ['timestamp,value'];
    for (let i = 0; i < 240; i++) rows.push(`2024-01-01T${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z,${i % 37 === 0 ? '' : 10 * Math.sin((2 * Math.PI * i) / 12)}`);
    expect(periodsCommand({ input: f('pt.csv', rows.join('\n')) }).split('\n')[0]).toBe('12');
  });
  it('answers for short and constant series without crashing', () => {
    expect(periodsCommand({ input: f('p1.txt', '5\n') })).toMatch(/at least 16/);
    expect(periodsCommand({ input: f('pc.txt', Array(100).fill(3).join('\n')) })).toMatch(/no significant period/);
  });
  it('forecasts with intervals around the mean', () => {
    const out = join(dir, 'fc.csv');
    forecastCommand({ input: f('fc.txt', seasonal), horizon: '12', output: out });
    const rows = parseCsv(readFileSync(out, 'utf8')).slice(1).map((r) => r.map(Number));
    expect(rows.length).toBe(12);
    for (const [, m, lo, hi] of rows) expect(lo! <= m! && m! <= hi!).toBe(true);
    expect(() => forecastCommand({ input: f('f1.txt', '5\n') })).toThrow(/at least 2/);
  });
});

describe('aiops rca', () => {
  it('ranks the service whose cpu jumped first', () => {
    const hdr = 'time,a_cpu,a_lat_50,b_cpu,b_mem';
    const normal = [hdr, ...Array.from({ length: 30 }, (_, i) => `${i},${1 + (i % 3) * 0.01},${5 + (i % 2) * 0.1},${2 + (i % 4) * 0.01},${100 + (i % 2)}`)].join('\n');
    const anomalous = [hdr, ...Array.from({ length: 10 }, (_, i) => `${i + 30},1.01,9,${8 + i * 0.1},101`)].join('\n');
    const text = rcaCommand({ normal: f('n.csv', normal), anomalous: f('an.csv', anomalous), json: true });
    const j = JSON.parse(text);
    expect(j.ranking[0].service).toBe('b');
    expect(j.ranking[0].metric).toBe('cpu');
    expect(() => rcaCommand({ normal: f('n2.csv', 'time\n1\n'), anomalous: f('a2.csv', anomalous) })).toThrow(/metric columns/);
  });
});

describe('registerAiopsCommands', () => {
  it('wires the five commands under aiops with commander', async () => {
    // as the real CLI: a global -o/--output format option that commander parses anywhere
    const program = new Command('sreworks').option('-o, --output <format>', 'table | json | yaml', 'table').exitOverride();
    // apps/cli pins commander 14 at merge; until then the root resolves an older copy's types
    registerAiopsCommands(program as unknown as Parameters<typeof registerAiopsCommands>[0]);
    const aiops = program.commands.find((c) => c.name() === 'aiops')!;
    expect(aiops.commands.map((c) => c.name()).sort()).toEqual(['anomalies', 'forecast', 'log-templates', 'periods', 'rca']);
    const input = f('w.txt', Array.from({ length: 96 }, (_, i) => Math.sin((2 * Math.PI * i) / 8)).join('\n'));
    const chunks: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    (process.stdout as any).write = (s: string) => (chunks.push(String(s)), true);
    try {
      await program.parseAsync(['node', 'sreworks', 'aiops', 'periods', '--input', input]);
    } finally {
      (process.stdout as any).write = orig;
    }
    expect(chunks.join('').split('\n')[0]).toBe('8');
    // --output after the subcommand still names the file, despite the global option
    const log = f('r.log', 'a 1\na 2\n');
    const out = join(dir, 'r.csv');
    (process.stdout as any).write = () => true;
    try {
      await program.parseAsync(['node', 'sreworks', 'aiops', 'log-templates', '--input', log, '--output', out]);
    } finally {
      (process.stdout as any).write = orig;
    }
    expect(parseCsv(readFileSync(out, 'utf8')).length).toBe(3);
  });
  it('reports a missing --output as a clear error, not the global format default', async () => {
    const program = new Command('sreworks').option('-o, --output <format>', 'table | json | yaml', 'table').exitOverride();
    registerAiopsCommands(program as unknown as Parameters<typeof registerAiopsCommands>[0]);
    await expect(program.parseAsync(['node', 'sreworks', 'aiops', 'log-templates', '--input', f('m.log', 'x\n')])).rejects.toThrow(
      /^AIOPS_OUTPUT_MISSING: --output is required \(output\)$/,
    );
    await expect(program.parseAsync(['node', 'sreworks', 'aiops', 'anomalies', '--input', f('e2.csv', ''), '--output', join(dir, 'z.csv')])).rejects.toThrow(/AIOPS_INPUT_EMPTY/);
  });
});
