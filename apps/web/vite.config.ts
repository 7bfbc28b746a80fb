import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API server (apps/server) serves the built app from dist/ in production; in development
// Vite serves the app and forwards /api to it, so the session cookie stays same-origin.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
