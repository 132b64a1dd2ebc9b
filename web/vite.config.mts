import { defineConfig } from 'vite';

// Served by the service under /explore (src/explorer); hashed files under /explore/assets.
export default defineConfig({
  base: '/explore/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Inlined images would be data: URLs in CSS; fine under the CSP (img-src data:), but keep files small.
    assetsInlineLimit: 2048,
    reportCompressedSize: false,
  },
});
