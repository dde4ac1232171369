import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server serves dist/ on the API's port (packages/server/src/modules/web), so the app calls its own origin.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP allows no inline script: keep Vite from inlining the module preload helper into index.html.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    // The chat widget's panel (`/widget`) is its own page, so an embedding site's visitors load only it.
    rollupOptions: { input: { main: 'index.html', widget: 'widget.html' } },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'ws://localhost:3000', ws: true } } },
});
