// The check every page of a browser journey passes (issue 14 §3, §8): axe-core finds no
// accessibility violation of any impact, a skip link to #main comes first, and at a phone's width
// (390 × 844, and the layout again at 360) nothing is wider than the screen and no text is squeezed
// to one character per line.
// A full-page screenshot at that width goes to test-results/screenshots/<test file>/<name>-390.png
// (git-ignored) so a person can look at the phone layout of every page without a phone.
//
// The journey steps (journey.ts: submitWith, follow; browser.ts: openPage's page.goto) call
// checkLandedPage after each navigation, so every journey that uses them is checked. Each
// distinct page (its path, its heading and which forms and notices it shows) is checked once per
// test file: checking every landing would add seconds per journey for pages seen already.
// axe runs at the journey's own (desktop) width; the page is then resized to the phone for the
// layout and the screenshot and back, so journeys keep the layout they were written against
// (a resize costs a relayout, tens of milliseconds).
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import type { AxeResults } from 'axe-core';

/** The phone the layout check pretends to be: an iPhone 12–15's CSS viewport. */
export const PHONE = { width: 390, height: 844 } as const;
/** And the narrowest phone the pages must fit (many Android phones): its layout is checked too. */
export const SMALL_PHONE = { width: 360, height: 780 } as const;

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * Rules that are wrong for these pages, each with why. Keep it short: a finding is fixed in the
 * view it comes from, not listed here.
 */
const EXCLUDED_RULES: ReadonlyArray<{ rule: string; why: string }> = [];

// Read once per test file; evaluated as a plain script in each page (page.evaluate is DevTools'
// Runtime.evaluate, which the pages' CSP does not govern, so the pages keep their real CSP and a
// violation of it still shows; page.addScriptTag would be refused by `script-src 'self'`).
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const screenshotRoot = new URL('../../test-results/screenshots/', import.meta.url).pathname;

/** The test file running in this process (node --test runs each file in its own), e.g. "journeys". */
function testFileName(): string {
  const file = process.argv.find((a) => /\.test\.tsx?$/.test(a));
  return file ? basename(file).replace(/\.test\.tsx?$/, '') : 'pages';
}

let screenshotDir: string | undefined;
/** test-results/screenshots/<test file>/, emptied at this file's first check (no stale pictures). */
function fileScreenshotDir(): string {
  if (!screenshotDir) {
    screenshotDir = join(screenshotRoot, testFileName());
    rmSync(screenshotDir, { recursive: true, force: true });
    mkdirSync(screenshotDir, { recursive: true });
  }
  return screenshotDir;
}

/**
 * Checks the page as it is now (see the file's comment) and saves its phone screenshot as
 * `<name>-390.png`. Throws one AssertionError naming every problem found, each with what to fix.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  const problems = { axe: await axeProblems(page), keyboard: await page.evaluate(skipLinkProblems), layout: [] as string[] };
  const desktop = page.viewportSize();
  await page.setViewportSize(PHONE);
  try {
    problems.layout = await page.evaluate(phoneLayoutProblems, PHONE.width);
    // What only the phone layout has (a table that scrolls inside itself) is checked there too.
    const phoneOnly = (await axeProblems(page)).filter((p) => !problems.axe.includes(p));
    problems.axe.push(...phoneOnly.map((p) => `${p} (at ${PHONE.width} px)`));
    await page.screenshot({ path: join(fileScreenshotDir(), `${name.replace(/[^\w.-]+/g, '-')}-390.png`), fullPage: true });
    await page.setViewportSize(SMALL_PHONE);
    problems.layout.push(...(await page.evaluate(phoneLayoutProblems, SMALL_PHONE.width)).map((p) => `(at ${SMALL_PHONE.width} px) ${p}`));
  } finally {
    if (desktop) await page.setViewportSize(desktop);
  }
  const lines = [
    ...problems.axe.map((p) => `  axe: ${p}`),
    ...problems.keyboard.map((p) => `  keyboard: ${p}`),
    ...problems.layout.map((p) => `  at ${PHONE.width} px: ${p}`),
  ];
  assert.ok(lines.length === 0, `page check of ${new URL(page.url()).pathname} (${name}) found:\n${lines.join('\n')}`);
}

async function axeProblems(page: Page): Promise<string[]> {
  // As a string: DevTools evaluates it at global scope (defining window.axe), outside the CSP.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = (await page.evaluate(
    ([tags, excluded]) =>
      (window as unknown as { axe: { run: (context: Document, options: object) => Promise<unknown> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        rules: Object.fromEntries(excluded.map((rule) => [rule, { enabled: false }])),
        resultTypes: ['violations'],
      }),
    [AXE_TAGS, EXCLUDED_RULES.map((r) => r.rule)] as const,
  )) as AxeResults;
  return results.violations.map((v) => {
    const targets = v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(' '))
      .join(', ');
    const more = v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : '';
    return `${v.id} (${v.impact}): ${v.help} — ${targets}${more} — ${v.helpUrl}`;
  });
}

/**
 * Runs in the page: the first thing a keyboard reaches is a link to #main (the layouts' skip link),
 * and it is on screen once focused. Focus goes back where it was.
 */
function skipLinkProblems(): string[] {
  const first = document.querySelector('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])');
  if (!(first instanceof HTMLAnchorElement) || first.getAttribute('href') !== '#main' || !document.getElementById('main')) {
    return [`the first focusable element should be <a href="#main"> to a #main that exists, not ${first?.outerHTML.slice(0, 80) ?? 'nothing'}`];
  }
  const before = document.activeElement;
  first.focus();
  const box = first.getBoundingClientRect();
  // Back as it was (the skip link must not stay on show in the screenshot).
  if (before instanceof HTMLElement && before !== document.body) before.focus();
  else first.blur();
  return box.top >= 0 && box.bottom <= window.innerHeight && box.width > 1 ? [] : ['the skip link is not on screen when focused (.skip-link:focus in app.css)'];
}

/**
 * Runs in the page at the phone's width. Two problems:
 *
 * 1. Overflow: the document is wider than the viewport (the page scrolls sideways). It names the
 *    innermost elements that stick out past the right edge and are not inside a box that scrolls
 *    or clips on its own (a table in an `overflow-x: auto` wrapper is fine).
 * 2. One character per line: a squeezed box (a table cell, a flex item that shrank) breaks its text
 *    after every character — 登/录 — which CJK text does freely. For each text node with at least
 *    two non-space characters it measures the line boxes of that text (Range.getClientRects gives
 *    one rectangle per line fragment; fragments with the same top are one line). It fails when the
 *    text spans at least min(3, its characters) lines and its widest line is under two ems of its
 *    font size: no line holds even two CJK characters. Long text in a narrow but sane column has
 *    lines of several ems and passes; a single word that does not wrap is one line and passes;
 *    hidden text (display: none, visibility: hidden, a closed <details>) is skipped, and so is
 *    text clipped to a 1 px box for screen readers. SVG text (charts) never wraps and is skipped.
 */
function phoneLayoutProblems(width: number): string[] {
  const problems: string[] = [];
  const describe = (el: Element) => {
    const id = el.id ? `#${el.id}` : '';
    const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    const parent = el.parentElement && el.parentElement !== document.body ? `${el.parentElement.tagName.toLowerCase()} > ` : '';
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30);
    return `${parent}${el.tagName.toLowerCase()}${id}${cls}${text ? ` "${text}"` : ''}`;
  };

  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > window.innerWidth) {
    const clipsOrScrolls = (el: Element) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
    const sticksOut = (el: Element) => el.getBoundingClientRect().right > window.innerWidth + 0.5;
    let offenders: Element[] = [];
    const walk = (el: Element, intoScrollers: boolean) => {
      for (const child of Array.from(el.children)) {
        if (!intoScrollers && clipsOrScrolls(child)) {
          if (sticksOut(child)) offenders.push(child);
          continue;
        }
        const before = offenders.length;
        walk(child, intoScrollers);
        // The innermost: an element is named only when none of its children was.
        if (offenders.length === before && sticksOut(child)) offenders.push(child);
      }
    };
    walk(document.body, false);
    // None outside a scroller: then something inside one escapes it, e.g. an absolutely
    // positioned element whose containing block is outside the scroller (give it position: relative).
    if (offenders.length === 0) {
      offenders = [];
      walk(document.body, true);
    }
    const named = offenders
      .slice(0, 5)
      .map((el) => `${describe(el)} (right edge at ${Math.round(el.getBoundingClientRect().right)} px)`)
      .join('; ');
    problems.push(`the page is ${scrollWidth} px wide, wider than the ${width} px screen: ${named || 'no element found; look for margins or transforms'}`);
  }

  // Text for screen readers only sits in a 1 px box that clips it (.visually-hidden): not shown.
  const visuallyHidden = (el: Element) => {
    for (let e: Element | null = el; e && e !== document.body; e = e.parentElement) {
      const box = e.getBoundingClientRect();
      if ((box.width <= 1 || box.height <= 1) && getComputedStyle(e).overflow !== 'visible') return true;
    }
    return false;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const squeezed: string[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const chars = (node.textContent ?? '').replace(/\s+/g, '').length;
    if (!el || chars < 2 || el.closest('svg, script, style, option, template') || !el.checkVisibility({ visibilityProperty: true }) || visuallyHidden(el))
      continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Map<number, number>();
    for (const r of Array.from(range.getClientRects())) {
      if (r.width < 0.5) continue;
      const top = Math.round(r.top);
      lines.set(top, (lines.get(top) ?? 0) + r.width);
    }
    if (lines.size < Math.min(3, chars)) continue;
    const em = parseFloat(getComputedStyle(el).fontSize);
    const widest = Math.max(...lines.values());
    if (widest < 2 * em) squeezed.push(`${describe(el)} (${lines.size} lines, the widest ${Math.round(widest)} px)`);
  }
  if (squeezed.length) problems.push(`text wraps about one character per line in ${squeezed.slice(0, 5).join('; ')}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Once per distinct page of a test file

const checked = new Set<string>();
const origins = new WeakMap<Page, string>();

/**
 * Makes `page` one whose landings are checked: its own page.goto checks the page it lands on,
 * and journey.ts's submitWith and follow check theirs. Only pages of `baseURL`'s origin are ours
 * (a test platform's pages are not checked).
 */
export function checkLandings(page: Page, baseURL: string): void {
  origins.set(page, new URL(baseURL).origin);
  const goto = page.goto.bind(page);
  page.goto = async (...args: Parameters<Page['goto']>) => {
    const response = await goto(...args);
    await checkLandedPage(page);
    return response;
  };
}

/**
 * After a journey step lands on a page: checks it unless a page like it was checked already in
 * this test file. "Like it": the same path (ids and tokens in it aside), the same heading, the
 * same forms and the same kinds of notice and error shown — so a form shown again with its errors
 * is checked once more, a second account's home is not. Pages of other origins (a test
 * platform), answers that are not HTML, and pages not opened by openPage are skipped.
 */
export async function checkLandedPage(page: Page): Promise<void> {
  const url = new URL(page.url());
  if (url.origin !== origins.get(page)) return;
  const shape = await page.evaluate(() => {
    if (document.contentType !== 'text/html') return undefined;
    const h1 = document.querySelector('h1')?.textContent?.trim() ?? '';
    const forms = Array.from(document.querySelectorAll('main form'), (f) => f.id || f.getAttribute('action') || '').join(',');
    const notices = Array.from(document.querySelectorAll('main .notice, main .error, main [role=alert]'), (n) => n.className).join(',');
    return `${h1}|${forms}|${notices}`;
  });
  if (shape === undefined) return;
  // A segment with a digit in it is an id or a token (a uuid, a number), never a page's name.
  const pathname = url.pathname
    .split('/')
    .map((segment) => (/\d/.test(segment) ? ':id' : segment))
    .join('/');
  const key = `${pathname}|${shape}`;
  if (checked.has(key)) return;
  checked.add(key);
  await checkPage(page, `${String(checked.size).padStart(2, '0')}${pathname.replace(/\//g, '-').replace(/:/g, '') || '-root'}`);
}
