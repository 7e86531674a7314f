// `npm start` builds what must be built: the console bundle, when it is missing or older than
// its sources. Everything else runs from TypeScript through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execSync } from 'node:child_process';

const consoleDir = 'apps/console';
if (existsSync(join(consoleDir, 'index.html'))) {
  const dist = join(consoleDir, 'dist', 'index.html');
  const newest = (dir) => {
    let m = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist') continue;
      const p = join(dir, e.name);
      m = Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
    return m;
  };
  const srcDirs = [consoleDir, 'packages/lowcode'].filter(existsSync);
  const srcTime = Math.max(...srcDirs.map(newest));
  if (!existsSync(dist) || statSync(dist).mtimeMs < srcTime) {
    console.log('building the console (first start or sources changed)…');
    execSync('npm run build -w @sreworks/console', { stdio: 'inherit' });
  }
}
