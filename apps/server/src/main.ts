import { loadConfig } from '@sreworks/kernel';
import { buildPlatform } from './app.js';
import { ensureAdmin } from './bootstrap.js';

const config = loadConfig();
const platform = await buildPlatform(config);
await ensureAdmin(platform.identity, config.adminPassword, (l) => process.stdout.write(l + '\n'));

let started: Promise<void> = Promise.resolve();
let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  platform.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  // a signal during start-up waits for the workers to be up, so stopping them is not a race
  await started.catch(() => {});
  await platform.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await platform.app.listen({ host: config.host, port: config.port });
started = platform.startWorkers();
await started;
process.stdout.write(`SREWorks-TS is up: http://${config.host}:${config.port}  (data in ${config.dataDir}, state on ${platform.store.dialect})\n`);
