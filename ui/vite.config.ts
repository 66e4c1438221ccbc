/**
 * Build of the dashboard: ui/ → ui/dist, served by the podsniff server at `/`. Relative asset URLs so
 * the same bundle works behind any path prefix; no external resources. In `vite` dev mode, API calls
 * are proxied to PODSNIFF_API (default http://127.0.0.1:8898).
 */
import { defineConfig } from 'vite';

const api = process.env.PODSNIFF_API ?? 'http://127.0.0.1:8898';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': { target: api, ws: true, changeOrigin: false } },
  },
});
