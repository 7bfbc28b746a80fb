// The field app's first load on a volunteer's phone: every script and stylesheet field.html pulls
// in, gzip-compressed, at most 200 KB (issue 5). Reads the built app (npm test builds it first).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const WEB_DIST = fileURLToPath(new URL('../../apps/web/dist/', import.meta.url));

const BUDGET_BYTES = 200 * 1024;

/** The JS and CSS field.html loads: its entry script, the chunks it preloads, its stylesheets. */
function firstLoadFiles(html: string): string[] {
  const files = new Set<string>();
  for (const match of html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/([^"]+\.(?:js|css))"/g)) files.add(match[1] as string);
  return [...files];
}

/** Static imports between chunks ("./client-abc.js"), in case a chunk is not preloaded from the page. */
function importsOf(code: string): string[] {
  return [...code.matchAll(/(?:import|from)\s*["']\.\/([\w.-]+\.js)["']/g)].map((m) => `assets/${m[1]}`);
}

describe.skipIf(!existsSync(`${WEB_DIST}field.html`) && !process.env.CI)('field app bundle size', () => {
  it('loads at most 200 KB of compressed JavaScript and CSS', () => {
    const html = readFileSync(`${WEB_DIST}field.html`, 'utf8');
    const queue = firstLoadFiles(html);
    const seen = new Set<string>();
    let total = 0;
    const sizes: string[] = [];
    while (queue.length > 0) {
      const file = queue.shift() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const content = readFileSync(`${WEB_DIST}${file}`);
      const gz = gzipSync(content, { level: 9 }).length;
      total += gz;
      sizes.push(`${file}: ${(gz / 1024).toFixed(1)} KB`);
      if (file.endsWith('.js')) queue.push(...importsOf(content.toString('utf8')));
    }
    console.log(`field app first load: ${(total / 1024).toFixed(1)} KB gzip\n  ${sizes.join('\n  ')}`);
    expect(seen.size).toBeGreaterThan(1);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
    // None of the officials' app: no router, no query client, no charts.
    const code = [...seen].map((f) => readFileSync(`${WEB_DIST}${f}`, 'utf8')).join('\n');
    expect(code).not.toMatch(/No QueryClient set|may be used only in the context of a <Router>|echarts/i);
  });

  it('gives only the field app a service worker, precaching the field files and none of the officials’ app', () => {
    const worker = readFileSync(`${WEB_DIST}field-sw.js`, 'utf8');
    const precached = [...worker.matchAll(/url:"([^"]+)"/g)].map((m) => m[1] as string);
    expect(precached).toContain('field.html');
    expect(precached).not.toContain('index.html');
    const fieldHtml = readFileSync(`${WEB_DIST}field.html`, 'utf8');
    for (const file of firstLoadFiles(fieldHtml)) expect(precached).toContain(file);
    const mainEntry = /src="\/(assets\/[^"]+\.js)"/.exec(readFileSync(`${WEB_DIST}index.html`, 'utf8'))?.[1];
    expect(mainEntry).toBeDefined();
    expect(precached).not.toContain(mainEntry);
    expect(readFileSync(`${WEB_DIST}index.html`, 'utf8')).not.toMatch(/manifest|field-sw/);
  });
});
