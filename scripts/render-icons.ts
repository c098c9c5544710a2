/**
 * Renders the PWA icons from public/icon.svg with Chromium (no image tools needed):
 * 192 and 512 px "any" icons, a 512 px maskable icon (the mark inside the 80% safe zone on a
 * full-bleed background), and a 180 px apple-touch-icon. Run: `npx tsx scripts/render-icons.ts`.
 */
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const svg = readFileSync('public/icon.svg', 'utf8');
const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

const targets = [
  { file: 'public/icons/icon-192.png', size: 192, maskable: false },
  { file: 'public/icons/icon-512.png', size: 512, maskable: false },
  { file: 'public/icons/icon-maskable-512.png', size: 512, maskable: true },
  { file: 'public/icons/apple-touch-icon.png', size: 180, maskable: true },
];

const browser = await chromium.launch({
  executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const page = await browser.newPage();
for (const target of targets) {
  await page.setViewportSize({ width: target.size, height: target.size });
  const inner = target.maskable ? Math.round(target.size * 0.8) : target.size;
  await page.setContent(
    `<body style="margin:0;display:grid;place-items:center;width:${target.size}px;height:${target.size}px;background:${target.maskable ? '#2f5bd3' : 'transparent'}">
       <img src="${dataUrl}" width="${inner}" height="${inner}"></body>`,
  );
  await page.screenshot({ path: target.file, omitBackground: !target.maskable });
}
await browser.close();
