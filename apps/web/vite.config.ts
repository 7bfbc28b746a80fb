import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

// Three pages from one build: index.html (the officials' app), field.html (the volunteers' PWA at
// /field) and learn.html (the residents' learning site at /learn, with its own small worker in public/). Only the field app gets a service worker, and it precaches only what field.html loads:
// the officials' charts and tables must not be pushed onto volunteers' phones.
const fieldFiles = new Set<string>();

/** Collects every file field.html pulls in (its chunks, their imports and CSS), for the precache. */
function fieldAssetList(): Plugin {
  return {
    name: 'cds-field-asset-list',
    apply: 'build',
    generateBundle(_options, bundle) {
      fieldFiles.clear();
      fieldFiles.add('field.html');
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry && (c.facadeModuleId ?? '').endsWith('/field.html'));
      if (!entry || entry.type !== 'chunk') throw new Error('field.html entry chunk not found in the bundle');
      const stack = [entry.fileName];
      while (stack.length > 0) {
        const name = stack.pop() as string;
        if (fieldFiles.has(name)) continue;
        fieldFiles.add(name);
        const chunk = bundle[name];
        if (!chunk || chunk.type !== 'chunk') continue;
        stack.push(...chunk.imports, ...chunk.dynamicImports);
        const meta = (chunk as { viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> } }).viteMetadata;
        for (const css of meta?.importedCss ?? []) fieldFiles.add(css);
        for (const asset of meta?.importedAssets ?? []) fieldFiles.add(asset);
      }
    },
  };
}

const isFieldFile = (url: string) => fieldFiles.has(url) || /^field-(icon|maskable)[\w.-]*\.(png|svg)$/.test(url) || url === 'field.webmanifest';

// The API server (apps/server) serves the built app from dist/ in production; in development
// Vite serves the app and forwards /api to it, so the session cookie stays same-origin.
export default defineConfig({
  plugins: [
    react(),
    fieldAssetList(),
    VitePWA({
      strategies: 'generateSW',
      registerType: 'prompt',
      // The field app registers the worker itself (src/field/pwa.ts); index.html must get none.
      injectRegister: false,
      // The manifest is a static file in public/ linked from field.html only, so the officials'
      // page is not offered for installation as the field app.
      manifest: false,
      filename: 'field-sw.js',
      scope: '/field/',
      base: '/',
      workbox: {
        globPatterns: ['field.html', 'assets/**/*.{js,css,woff2}', 'field-*.{png,svg}', 'field.webmanifest'],
        manifestTransforms: [async (entries) => ({ manifest: entries.filter((e) => isFieldFile(e.url)), warnings: [] })],
        navigateFallback: '/field.html',
        navigateFallbackAllowlist: [/^\/field(\/|$)/],
        // API answers are never cached by the worker: the app keeps what it needs in IndexedDB.
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        field: fileURLToPath(new URL('./field.html', import.meta.url)),
        learn: fileURLToPath(new URL('./learn.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
