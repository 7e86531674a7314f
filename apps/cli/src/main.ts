import { Command, CommanderError } from 'commander';
import { ApiError } from './client.js';
import { registerPlatformCommands } from './commands/platform.js';
import { registerAiopsCommands } from './commands/aiops.js';
import { registerAppCommands } from './commands/app.js';
import { registerBuildCommands } from './commands/build.js';
import { registerRenderCommands } from './commands/render.js';
import { registerQueryCommands } from './commands/query.js';
import { registerDataCommands } from './commands/data.js';
import { registerPageCommands } from './commands/page.js';

export function buildProgram(): Command {
  const program = new Command('sreworks')
    .description('SREWorks-TS command line')
    .version('0.1.0')
    .option('--url <url>', 'platform URL (default: $SREWORKS_URL, the saved login, or http://127.0.0.1:7001)')
    .option('--token <token>', 'API token (default: $SREWORKS_TOKEN or the saved login)')
    .option('-o, --output <format>', 'table | json | yaml', 'table')
    .showHelpAfterError();
  registerPlatformCommands(program);
  registerAiopsCommands(program);
  registerAppCommands(program);
  registerBuildCommands(program);
  registerRenderCommands(program);
  registerQueryCommands(program);
  registerDataCommands(program);
  registerPageCommands(program);
  return program;
}

/** Runs the CLI; returns the exit code. Errors print one clear line, never a stack. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof ApiError) {
      const field = (e.details as { field?: string } | undefined)?.field ?? (Array.isArray(e.details) ? (e.details[0] as any)?.field : undefined);
      process.stderr.write(`error: ${e.message}${field ? ` (${field})` : ''} [${e.code}]\n`);
      return e.status === 0 ? 3 : 2;
    }
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
}
