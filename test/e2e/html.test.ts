/**
 * The HTML report (issue #13), opened in a real headless browser: Debian's chromium driven by
 * playwright-core. Without /usr/bin/chromium only the browser tests are skipped, saying so;
 * the checks on the file's text always run.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './run-cli.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_BROWSER = existsSync(CHROMIUM);
if (!HAVE_BROWSER) console.warn(`test/e2e/html.test.ts: ${CHROMIUM} not found (apt-get install -y chromium): the browser tests are skipped`);

const KEY = 'sk-proj-Q7wErTy9UiOp3AsDfGh5JkLzXcVbNm1QwErTy';
const HOSTILE_NAME = `<img src="https://evil.example/x.png" onerror="alert(1)"> Support ${KEY} \u001b[31m`;

let work: string;
let html: string;
let htmlPath: string;
let doc: { dailyByProject: unknown[]; byModel: unknown[]; budgets: { projects: unknown[] }; ledger: { provider?: string; organization: string | null }[]; html: string };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'spendrecon-html-'));
  const config = JSON.parse(await readFile(join(ROOT, 'fixtures', 'spendrecon.config.json'), 'utf8'));
  config.projects.proj_Wq3XzA9bLk2.name = HOSTILE_NAME;
  await writeFile(join(work, 'config.json'), JSON.stringify(config));
  const r = await cli(['demo', '--config', join(work, 'config.json'), '--out', join(work, 'reports', '2026-10.xlsx'), '--json'], work);
  expect(r.code, r.stderr).toBe(0);
  doc = JSON.parse(r.stdout);
  htmlPath = join(work, 'reports', '2026-10.html');
  expect(doc.html).toBe(htmlPath);
  html = await readFile(htmlPath, 'utf8');
}, 60_000);

describe('the HTML report as text', () => {
  it('is one self-contained file: no script, no link, no external source', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<iframe|<object|@import|url\(/i);
    // the only URLs are the SVG namespaces and the hostile name's, as text (a chart legend cuts it short)
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>)&]+/g)].map((m) => m[0]).filter((u) => !u.startsWith('http://www.w3.org/'));
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u.startsWith('https://evil.e'), u).toBe(true);
    // text from inputs has its < escaped, so every tag here is the report's own
    const linking: string[] = [];
    let tags = 0;
    for (const tag of html.matchAll(/<[a-z][\w:-]*(?:\s+[\w:-]+(?:="[^"]*"|='[^']*'|=[^\s>]+)?)*\s*\/?>/gi)) {
      tags++;
      for (const a of tag[0].matchAll(/\s([\w:-]+)=(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)) {
        const value = a[2] ?? a[3] ?? a[4] ?? '';
        if (/^(src|href|xlink:href|action|srcset|poster)$/i.test(a[1]!) && !value.startsWith('#') && !value.startsWith('data:')) linking.push(tag[0]);
      }
    }
    expect(tags).toBeGreaterThan(500);
    expect(linking).toEqual([]);
  });

  it('escapes and redacts text from inputs', () => {
    expect(html).not.toContain(KEY);
    expect(html).toContain('sk-proj-…wErTy'.slice(0, 9));
    expect(html).toContain('&lt;img src=&quot;https://evil.example/x.png&quot;');
    expect(html).not.toContain('\u001b');
    expect(html).toContain('\u241b[31m');
  });
});

describe.skipIf(!HAVE_BROWSER)('the HTML report in headless chromium', () => {
  // imported only here, so a machine without the browser never loads it
  let browser: import('playwright-core').Browser;
  let page: import('playwright-core').Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      problems.push(`request left the file: ${url}`);
      return route.abort();
    });
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads with no console error and no request leaving the file', async () => {
    expect(await page.title()).toBe('Spend 2026-10');
    expect(problems).toEqual([]);
    // the hostile name is text, not an element
    expect(await page.locator('img').count()).toBe(0);
    // biome-ignore lint/performance/useDomNodeTextContent: what the reader sees rendered is the point, not the DOM's text
    expect(await page.locator('#by-project').innerText()).toContain('<img src="https://evil.example/x.png"');
  });

  it('draws every chart with one mark per data point', async () => {
    const marks = async (id: string, cls: string) => page.locator(`#chart-${id} svg g.${cls}.role-mark > path`).count();
    expect(await marks('daily', 'mark-rect')).toBe(doc.dailyByProject.length);
    expect(await marks('models', 'mark-rect')).toBe(doc.byModel.length);
    expect(await marks('budgets', 'mark-line')).toBe(2 * doc.budgets.projects.length);
    const balance = page.locator('#chart-balance');
    // a balance line per (provider, organisation) account (one summed line for one), and the auto-recharges
    const accounts = new Set(doc.ledger.map((d) => `${d.provider ?? ''}|${d.organization}`)).size;
    expect(await balance.locator('g.mark-line.role-mark > path').count()).toBe(accounts + 1);
    expect(await balance.locator('g.mark-symbol.role-mark > path').count()).toBe(Number(await balance.getAttribute('data-points')));
    expect(await balance.locator('text', { hasText: 'auto-recharge limit 200.00' }).count()).toBe(1);
    for (const id of ['daily', 'models', 'balance', 'budgets']) {
      const box = await page.locator(`#chart-${id} svg`).first().boundingBox();
      expect(box && box.width > 200 && box.height > 100, id).toBe(true);
    }
  });

  it('lays out without horizontal scrolling at 1280 px', async () => {
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(scroll).toBeLessThanOrEqual(client);
    await page.screenshot({ path: join(work, 'report.png'), fullPage: false });
  });

  it('prints: the print preview paginates', async () => {
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
    expect(pages).toBeGreaterThan(2);
  }, 30_000);
});
