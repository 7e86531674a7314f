// `sreworks aiops …`: offline AIOps commands (log templates, anomalies, periods, forecast, RCA).
// The work is done by @sreworks/aiops; this file only maps options and prints.
import type { Command } from 'commander';
import { anomaliesCommand, forecastCommand, logTemplatesCommand, periodsCommand, rcaCommand } from '@sreworks/aiops';

/** Runs a command function, printing its text; errors print one line and set exit code 2. */
function run(fn: () => string): void {
  try {
    process.stdout.write(fn());
  } catch (e) {
    const err = e as Error & { code?: string };
    process.stderr.write(`error${err.code ? ` ${err.code}` : ''}: ${err.message}\n`);
    process.exitCode = 2;
  }
}

export function registerAiopsCommands(program: Command): void {
  const aiops = program.command('aiops').description('AIOps algorithms on local files (no server needed)');

  aiops
    .command('log-templates')
    .description('mine log templates: one message per input line; CSV out with line,template_id,template')
    .requiredOption('--input <file>', 'log file, one message per line')
    .requiredOption('--output <file>', 'CSV file to write')
    .action((o: { input: string; output: string }) => run(() => logTemplatesCommand(o)));

  aiops
    .command('anomalies')
    .description('score points of a timestamp,value CSV; CSV out with timestamp,value,anomaly_score')
    .requiredOption('--input <file>', 'CSV timestamp,value in time order')
    .requiredOption('--output <file>', 'CSV file to write')
    .option('--detector <name>', 'novelty | nsigma', 'novelty')
    .action((o: { input: string; output: string; detector: string }) => run(() => anomaliesCommand(o)));

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
    .action((o: { input: string; horizon: string; period?: string; output?: string; json?: boolean }) => run(() => forecastCommand(o)));

  aiops
    .command('rca')
    .description('rank likely root-cause services; CSV columns time and <service>_<metric>')
    .requiredOption('--normal <file>', 'metrics before the fault')
    .requiredOption('--anomalous <file>', 'metrics in the fault window')
    .option('--method <name>', 'combined | baro | nsigma', 'combined')
    .option('--json', 'print JSON')
    .action((o: { normal: string; anomalous: string; json?: boolean; method: string }) => run(() => rcaCommand(o)));
}
