import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // antd and rc-* components in one chunk each, so a page loads the components it uses
        // (pulled together, every component of the designer landed in the desktop's first load)
        manualChunks(id: string) {
          const m = id.match(/node_modules\/(antd\/es|@rc-component|rc-[a-z-]+)\/([^/]+)/);
          // the barrel (antd/es/index.js) stays out: only remote UMD components import it whole,
          // lazily; as a chunk of its own it pulled every component into the first load
          if (!m || (m[1] === 'antd/es' && m[2] === 'index.js')) return undefined;
          return m[1] === 'antd/es' ? `antd-${m[2]}` : `${m[1].replace('@', '')}-${m[2]}`;
        },
      },
    },
  },
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://127.0.0.1:7001' } },
});
