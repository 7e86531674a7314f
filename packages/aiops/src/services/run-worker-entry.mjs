// Worker bootstrap: the run worker is TypeScript. Under tsx (the server) the loader is inherited;
// elsewhere (vitest's fork pool) register tsx's ESM hooks first. A failed import is cached per
// URL, so the retry uses a distinct one. (Same pattern as telemetry's SQLite writer.)
try {
  await import('./run-worker.ts');
} catch (e) {
  if (!e || e.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
  const { register } = await import('tsx/esm/api');
  register();
  await import('./run-worker.ts?tsx');
}
