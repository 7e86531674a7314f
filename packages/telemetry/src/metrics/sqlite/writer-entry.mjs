// Worker bootstrap: the writer is TypeScript. Under tsx (the server) the loader is inherited;
// elsewhere (vitest's fork pool) register tsx's ESM hooks first. A failed import is cached
// per URL, so the retry uses a distinct one.
try {
  await import('./writer.ts');
} catch (e) {
  if (!e || e.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
  const { register } = await import('tsx/esm/api');
  register();
  await import('./writer.ts?tsx');
}
