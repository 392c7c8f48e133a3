import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build, defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../../dist/apps/web', import.meta.url));

/**
 * The service worker as one self-contained classic script at `/sw.js` (a fixed name at the root, so
 * its scope is the whole app; no imports, so every browser can run it without module workers).
 */
async function buildServiceWorker(): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      copyPublicDir: false,
      lib: {
        entry: join(root, 'src/push/service-worker.ts'),
        formats: ['iife'],
        name: 'todoServiceWorker',
        fileName: () => 'sw.js',
      },
    },
  });
}

/**
 * After the app is built: the service worker, then .gz and .br copies of the text assets, which the
 * server sends as they are (preCompressed). One hook, because the copies must include the worker.
 */
function serviceWorkerAndPrecompress(): Plugin {
  return {
    name: 'service-worker-and-precompress',
    apply: 'build',
    async closeBundle() {
      await buildServiceWorker();
      const walk = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
          entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
        );
      for (const file of walk(outDir).filter((name) => /\.(js|css|html|svg)$/.test(name))) {
        const content = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(content));
      }
    },
  };
}

/** The browser app: built into dist/apps/web and served at `/` by the standalone app and the gateway. */
export default defineConfig({
  root,
  base: '/',
  plugins: [react(), serviceWorkerAndPrecompress()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // Everything ships from our origin (CSP `'self'`): no inline module-preload polyfill.
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/realtime': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
