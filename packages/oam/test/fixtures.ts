// The shared, read-only fixtures (tests only). A missing folder is an error naming it, never a skip.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// The project root's sibling `shared/fixtures` (../shared/fixtures from the repo root); worktrees
// sit one level deeper, so look upwards.
function findFixtures(): string {
  let dir = resolve(here, '../../..');
  for (let i = 0; i < 4; i++) {
    const c = join(dir, '..', 'shared', 'fixtures');
    if (existsSync(c)) return resolve(c);
    dir = resolve(dir, '..');
  }
  return resolve(here, '../../../../shared/fixtures');
}

export const FIXTURES = process.env.SREWORKS_FIXTURES ?? findFixtures();

export function fixturePath(...parts: string[]): string {
  const p = join(FIXTURES, ...parts);
  if (!existsSync(p)) throw new Error(`fixture missing: ${p} (the shared fixtures live at ../shared/fixtures from the repo root; set SREWORKS_FIXTURES to override)`);
  return p;
}

export const TESTDATA = resolve(here, '../testdata');
