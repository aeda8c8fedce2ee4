// What every browser scenario shares: the app's address and seeded data,
// one headless Chromium (Debian's, driven by playwright-core), and the checks
// every public page must pass: axe-core finds no serious or critical
// violation, no request leaves the app's origin, no CSP violation, the
// security headers are there, the page and its CSS weigh under 50 KB
// uncompressed and come compressed when asked.
//
// A scenario file (scenarios/<area>.mjs) imports from here and registers
// tests with node:test; run.mjs loads every scenario file.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

/** The app under test, e.g. http://127.0.0.1:41234 (run.mjs's argument). */
export const BASE = (process.argv[2] || process.env.LAPOR_BASE_URL || '').replace(/\/$/, '');
if (!BASE) throw new Error('usage: node run.mjs <base-url>');
export const ORIGIN = new URL(BASE).origin;
/** Data the spawning test seeded: { report: { id, title } }. */
export const SEED = JSON.parse(process.env.LAPOR_SEED || '{}');
/** Screenshots go here (target/browser-artifacts by default). */
export const ARTIFACTS = process.env.LAPOR_ARTIFACTS || join(fileURLToPath(new URL('.', import.meta.url)), '../../target/browser-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export const MAX_PAGE_BYTES = 50 * 1024;
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** Browser locales whose Accept-Language picks each language. */
export const LOCALES = { id: 'id-ID', en: 'en-US' };

let browserPromise;
/** The one browser of the run (closed by run.mjs). */
export function browser() {
  browserPromise ??= chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  return browserPromise;
}

export async function closeBrowser() {
  if (browserPromise) await (await browserPromise).close();
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Opens `path` in a fresh browser context (`locale` sets Accept-Language,
 * `width` the viewport) and records every request the page makes and every
 * console error. Returns { page, response, requests, errors, close }.
 */
export async function visit(path, { locale = LOCALES.id, width = 1280 } = {}) {
  const context = await (await browser()).newContext({ locale, viewport: { width, height: 800 } });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(String(error)));
  const response = await page.goto(BASE + path, { waitUntil: 'load' });
  return { page, response, requests, errors, close: () => context.close() };
}

/** Runs axe-core in the page; fails on any serious or critical violation. */
export async function assertAccessible(page, what) {
  // Evaluated through the DevTools protocol, which the page's CSP does not
  // govern (the CSP rightly refuses an injected <script>).
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    [],
    `${what}: axe-core violations`,
  );
}

/** A GET outside the browser, with exact control of Accept-Encoding. */
export function rawGet(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const request = http.get(BASE + path, { headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
  });
}

/**
 * Every check a public page owes, on a page opened with `visit`:
 * security headers, same-origin requests only, no console or CSP errors,
 * accessibility, weight (HTML + its stylesheets under 50 KB uncompressed),
 * and compression (brotli and gzip, each decoding to the same page).
 * `normalize` blanks what differs between two renderings of the page (the
 * report form's fresh idempotency key) before they are compared.
 */
export async function assertGoodPage(visited, path, what = path, { normalize = (html) => html } = {}) {
  const { page, response, requests, errors } = visited;
  const headers = response.headers();
  assert.equal(headers['content-security-policy'], CSP, `${what}: CSP`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.ok(['strict-origin-when-cross-origin', 'no-referrer'].includes(headers['referrer-policy']), `${what}: Referrer-Policy`);
  const foreign = requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== ORIGIN);
  assert.deepEqual(foreign, [], `${what}: requests that left the app's origin`);
  assert.deepEqual(errors, [], `${what}: console errors (CSP violations among them)`);
  // The stylesheet applied (under style-src 'self'): the header is not the default white.
  const headerColour = await page.$eval('header', (h) => getComputedStyle(h).backgroundColor);
  assert.notEqual(headerColour, 'rgba(0, 0, 0, 0)', `${what}: the stylesheet applies`);
  await assertAccessible(page, what);

  const plain = await rawGet(path, { 'accept-language': 'id' });
  assert.equal(plain.status, 200, `${what}: status`);
  assert.equal(plain.headers['content-encoding'], undefined, `${what}: no coding unless asked`);
  const sheets = await page.$$eval('link[rel=stylesheet]', (links) => links.map((l) => new URL(l.href).pathname));
  assert.ok(sheets.length >= 1, `${what}: a stylesheet`);
  let weight = plain.body.length;
  for (const sheet of sheets) weight += (await rawGet(sheet)).body.length;
  assert.ok(weight < MAX_PAGE_BYTES, `${what}: ${weight} bytes of HTML and CSS, over ${MAX_PAGE_BYTES}`);

  for (const [accept, coding, decode] of [['br, gzip', 'br', zlib.brotliDecompressSync], ['gzip', 'gzip', zlib.gunzipSync]]) {
    const encoded = await rawGet(path, { 'accept-language': 'id', 'accept-encoding': accept });
    assert.equal(encoded.headers['content-encoding'], coding, `${what}: ${accept}`);
    assert.match(encoded.headers.vary ?? '', /accept-encoding/i, `${what}: Vary`);
    assert.ok(encoded.body.length < plain.body.length, `${what}: ${coding} is smaller`);
    assert.equal(normalize(decode(encoded.body).toString()), normalize(plain.body.toString()), `${what}: ${coding} decodes to the page`);
  }
  return { weight };
}

/** Full-page screenshots of `path` at 360 px and 1280 px wide, as `<name>-<width>.png`. */
export async function screenshots(path, name, locale = LOCALES.id) {
  const files = [];
  for (const width of [360, 1280]) {
    const visited = await visit(path, { locale, width });
    // Readable at 360 px: nothing wider than the viewport.
    const overflow = await visited.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name} at ${width}px scrolls sideways by ${overflow}px`);
    const file = join(ARTIFACTS, `${name}-${width}.png`);
    await visited.page.screenshot({ path: file, fullPage: true });
    files.push(file);
    await visited.close();
  }
  return files;
}

/** The page's `<html lang>`. */
export function htmlLang(page) {
  return page.getAttribute('html', 'lang');
}

// The staff console's pages (signed in through the real sign-in form).

/** A fresh browser context with one page, recording foreign requests and console errors. */
export async function openStaff(width = 1280) {
  const context = await (await browser()).newContext({ locale: 'id-ID', viewport: { width, height: 800 } });
  const page = await context.newPage();
  const foreign = [];
  const errors = [];
  page.on('request', (r) => { if (!r.url().startsWith('data:') && new URL(r.url()).origin !== ORIGIN) foreign.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { context, page, foreign, errors };
}

export async function signIn(page, token) {
  await page.goto(`${BASE}/staf/masuk`);
  await page.getByLabel('Token petugas').fill(token);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await page.waitForLoadState('load');
}

/** What a staff page owes: its headers, no foreign request, no CSP error, axe. */
export async function assertGoodStaffPage(opened, response, what) {
  const headers = response.headers();
  assert.equal(headers['content-security-policy'], CSP, `${what}: CSP (frame-ancestors 'none')`);
  assert.equal(headers['cache-control'], 'no-store', `${what}: no-store`);
  assert.deepEqual(opened.foreign, [], `${what}: requests that left the origin`);
  assert.deepEqual(opened.errors, [], `${what}: console errors`);
  await assertAccessible(opened.page, what);
  // Light: the page and its stylesheets under 50 KB (fetched with the session).
  const request = opened.page.context().request;
  let weight = (await (await request.get(opened.page.url())).body()).length;
  for (const sheet of await opened.page.$$eval('link[rel=stylesheet]', (links) => links.map((l) => l.href))) {
    weight += (await (await request.get(sheet)).body()).length;
  }
  assert.ok(weight < MAX_PAGE_BYTES, `${what}: ${weight} bytes of HTML and CSS`);
}
