// Runs the CLI in this process (the platform under test keeps answering) and captures what it
// prints: the exit code, stdout and stderr.
import { vi } from 'vitest';
import { main } from '../src/main.js';

export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: any) => ((out += s), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((err += s), true));
  try {
    const code = await main(['node', 'sreworks', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
