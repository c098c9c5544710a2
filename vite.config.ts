import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

/** One id per build: names the SharedWorker so two builds never share one unnoticed. */
const buildId = process.env.PARLEY_BUILD_ID ?? new Date().toISOString().replace(/\D/g, '').slice(0, 14);

export default defineConfig({
  plugins: [solid()],
  define: { __BUILD_ID__: JSON.stringify(buildId) },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  preview: { host: '127.0.0.1', port: Number(process.env.PORT ?? 4173), strictPort: true },
});
