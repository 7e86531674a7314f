// The platform for the designer suite and benchmark: the console harness's server (the lowcode
// module brings the component routes), and a small HTTP server standing in for a third-party
// host of remote component bundles.
import { createServer, type Server } from 'node:http';
import { build, type Rollup } from 'vite';

export { startServer as startDesignerServer } from './harness.js';

/** Serves remote component bundles (with CORS, as a CDN would); unknown paths answer 404. */
export async function startBundleServer(files: Record<string, string>): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const body = files[req.url ?? ''];
    res.setHeader('access-control-allow-origin', '*');
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * Builds a Vue 3 custom-element source into one ES module with Vue inside (Vite library
 * mode, production flags), the shape a remote Vue component is published in.
 */
export async function buildVueBundle(entry: string): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    define: {
      'process.env.NODE_ENV': JSON.stringify('production'),
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    build: { write: false, minify: true, lib: { entry, formats: ['es'], fileName: 'bundle' } },
  });
  const outputs = (Array.isArray(out) ? out : [out]) as Rollup.RollupOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((c): c is Rollup.OutputChunk => c.type === 'chunk' && c.isEntry);
  if (!chunk) throw new Error(`building ${entry} produced no entry chunk`);
  return chunk.code;
}
