// docs/errors.md is generated from the sources; this keeps it from going stale and catches a new
// code family the generator does not know (its prefix must be added to scripts/error-codes.mjs).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
// @ts-expect-error: plain .mjs script without types
const { markdown } = (await import('../../../scripts/error-codes.mjs')) as { markdown: string };

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    if (['node_modules', 'dist', 'test', 'e2e', 'bench'].includes(e)) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(e) && !e.includes('.test.')) out.push(p);
  }
  return out;
}

describe('docs/errors.md', () => {
  it('is what scripts/error-codes.mjs generates (run: node scripts/error-codes.mjs > docs/errors.md)', () => {
    expect(readFileSync(join(root, 'docs/errors.md'), 'utf8')).toBe(markdown);
  });

  it('lists every code thrown with an error class', () => {
    const files = ['packages', 'apps'].flatMap((r) => readdirSync(join(root, r)).map((p) => join(root, r, p, 'src'))).filter((d) => { try { return statSync(d).isDirectory(); } catch { return false; } }).flatMap((d) => sources(d));
    const thrown = new Set<string>();
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/Error\([^;\n]*?['"]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"]/g)) thrown.add(m[1]!);
    }
    expect(thrown.size).toBeGreaterThan(100);
    const missing = [...thrown].filter((c) => !markdown.includes('`' + c + '`'));
    expect(missing).toEqual([]);
  });
});
