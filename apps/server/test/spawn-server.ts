// The platform as its own process (bin/sreworks-server.js), for tests that kill -9 or restart it.
import { spawn } from 'node:child_process';

export function spawnServer(dir: string, port: number, adminPassword: string) {
  const child = spawn(process.execPath, ['apps/server/bin/sreworks-server.js'], {
    env: { ...process.env, SREWORKS_PORT: String(port), SREWORKS_DATA_DIR: dir, SREWORKS_ADMIN_PASSWORD: adminPassword, SREWORKS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  // listen for exit from the start: after a kill the event may fire before anyone awaits it
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { child, exited, output: () => out };
}
