// `sreworks aiops …`: offline AIOps commands (log templates, anomalies, periods, forecast, RCA).
// The work is done by @sreworks/aiops; this file only maps options and prints.
import type { Command } from 'commander';
import { anomaliesCommand, forecastCommand, logTemplatesCommand, periodsCommand, rcaCommand } from '@sreworks/aiops';

/**
 * Runs a command function and prints its text. Errors are rethrown as one line with the stable
 * code and the field, e.g. `AIOPS_INPUT_EMPTY: input is empty (input)`; the CLI's main prints it
 * and sets the exit code.
 */
function run(fn: () => string): void {
  let text: string;
  try {
    text = fn();
  } catch (e) {
    const err = e as Error & { code?: string; details?: { field?: string } };
    const field = err.details && !Array.isArray(err.details) ? err.details.field : undefined;
    throw new Error(`${err.code ? `${err.code}: ` : ''}${err.message}${field ? ` (${field})` : ''}`, { cause: e });
  }
  process.stdout.write(text);
}

type WithSource = { getOptionValueSource(key: string): string | undefined; opts(): Record<string, unknown>; parent: WithSource | null };

/**
 * The file given with --output. The CLI's global `-o, --output <format>` is parsed wherever it
 * appears, so our --output may land on an ancestor; take it from there when the user typed it.
 */
function outputOf(cmd: Command, local: string | undefined): string | undefined {
  if (local) return local;
  for (let c = (cmd as unknown as WithSource).parent; c; c = c.parent) {
    if (c.getOptionValueSource('output') === 'cli') return String(c.opts().output);
  }
  return undefined;
}

export function registerAiopsCommands(program: Command): void {
  const aiops = program.command('aiops').description('AIOps algorithms on local files (no server needed)');

  aiops
    .command('log-templates')
    .description('mine log templates: one message per input line; CSV out with line,template_id,template')
    .requiredOption('--input <file>', 'log file, one message per line')
    .option('--output <file>', 'CSV file to write (required)')
    .action((o: { input: string; output?: string }, cmd: Command) => run(() => logTemplatesCommand({ ...o, output: outputOf(cmd, o.output) })));

  aiops
    .command('anomalies')
    .description('score points of a timestamp,value CSV; CSV out with timestamp,value,anomaly_score')
    .requiredOption('--input <file>', 'CSV timestamp,value in time order')
    .option('--output <file>', 'CSV file to write (required)')
    .option('--detector <name>', 'novelty | nsigma', 'novelty')
    .action((o: { input: string; output?: string; detector: string }, cmd: Command) => run(() => anomaliesCommand({ ...o, output: outputOf(cmd, o.output) })));

  aiops
    .command('periods')
    .description('detect periods (in samples), ranked; input one value per line or timestamp,value')
    .requiredOption('--input <file>', 'series file')
    .option('--json', 'print JSON with details')
    .option('--periodogram <kind>', 'ls (fast) | huber (robust, slow)', 'ls')
    .action((o: { input: string; json?: boolean; periodogram: 'ls' | 'huber' }) => run(() => periodsCommand(o)));

  aiops
    .command('forecast')
    .description('seasonal Holt-Winters forecast with prediction intervals')
    .requiredOption('--input <file>', 'series file')
    .option('--horizon <n>', 'steps to forecast', '24')
    .option('--period <n>', 'seasonal period in samples (detected when omitted)')
    .option('--output <file>', 'CSV file to write (step,mean,lower,upper)')
    .option('--json', 'print JSON')
    .action((o: { input: string; horizon: string; period?: string; output?: string; json?: boolean }, cmd: Command) => {
      // a global `-o json|yaml|table` is a format, anything else a file
      const out = outputOf(cmd, o.output);
      const isFormat = out !== undefined && ['json', 'yaml', 'table'].includes(out) && !o.output;
      run(() => forecastCommand({ ...o, output: isFormat ? undefined : out, json: o.json || out === 'json' }));
    });

  aiops
    .command('rca')
    .description('rank likely root-cause services; CSV columns time and <service>_<metric>')
    .requiredOption('--normal <file>', 'metrics before the fault')
    .requiredOption('--anomalous <file>', 'metrics in the fault window')
    .option('--method <name>', 'combined | baro | nsigma', 'combined')
    .option('--json', 'print JSON')
    .action((o: { normal: string; anomalous: string; json?: boolean; method: string }) => run(() => rcaCommand(o)));
}
