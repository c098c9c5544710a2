import { defineConfig, type Plugin, type Rollup } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';

/** One id per build: names the SharedWorker so two builds never share one unnoticed. */
const buildId = process.env.PARLEY_BUILD_ID ?? new Date().toISOString().replace(/\D/g, '').slice(0, 14);

/**
 * The UI's chunk (src/main.tsx, imported by the small entry src/boot.ts) and its stylesheet are
 * named in index.html: the browser fetches and compiles them while the entry starts the core,
 * and the first paint has its styles without waiting for the import.
 */
function preloadUi(): Plugin {
  return {
    name: 'parley-preload-ui',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const ui = Object.values(context.bundle ?? {}).find(
          (output): output is Rollup.OutputChunk =>
            output.type === 'chunk' && output.facadeModuleId?.endsWith('/src/main.tsx') === true,
        );
        if (!ui) return [];
        const styles = [...(ui.viteMetadata?.importedCss ?? [])].map((file) => ({
          tag: 'link',
          attrs: { rel: 'stylesheet', crossorigin: '', href: `/${file}` },
          injectTo: 'head' as const,
        }));
        return [
          { tag: 'link', attrs: { rel: 'modulepreload', crossorigin: '', href: `/${ui.fileName}` }, injectTo: 'head' },
          ...styles,
        ];
      },
    },
  };
}

export default defineConfig({
  plugins: [
    solid(),
    preloadUi(),
    // Dev server only: Vite injects CSS as <style> elements, which the CSP in index.html refuses.
    // The built app loads stylesheets from its origin and needs no 'unsafe-inline'.
    {
      name: 'parley-dev-csp',
      apply: 'serve',
      transformIndexHtml: (html: string) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
    },
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      // Registered by src/ui/shell/pwa.ts, which also drives the "update available" banner.
      injectRegister: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
      manifest: {
        name: 'Parley',
        short_name: 'Parley',
        description:
          'An offline-first AI chat that runs in your browser and talks to any OpenAI-compatible provider with your own key.',
        id: '/',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#2f5bd3',
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      devOptions: { enabled: false },
    }),
  ],
  define: { __BUILD_ID__: JSON.stringify(buildId), __BENCH__: JSON.stringify(process.env.PARLEY_BENCH === '1') },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  preview: { host: '127.0.0.1', port: Number(process.env.PORT ?? 4173), strictPort: true },
});
