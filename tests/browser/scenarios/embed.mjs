// An agency's website on another origin embeds the report form with the
// one-line snippet: the iframe appears, sizes itself through postMessage,
// files a report aimed at the agency and shows the tracking ID and the
// reporter token (cookies play no part in a third-party frame).

import assert from 'node:assert/strict';
import http from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, assertAccessible, BASE, browser, LOCALES, MAX_PAGE_BYTES, rawGet } from '../harness.mjs';

const AGENCY = 'pemkot-32.73';
let site; // the agency's website: another origin (localhost, not 127.0.0.1)
let siteUrl;

before(async () => {
  const page = `<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Pemerintah Kota Bandung</title></head>
<body><h1>Pemerintah Kota Bandung</h1><p>Sampaikan keluhan Anda:</p>
<script src="${BASE}/embed.js" data-agency="${AGENCY}" data-badge="true" async></script></body></html>`;
  site = http.createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page);
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://localhost:${site.address().port}/`;
  assert.notEqual(new URL(siteUrl).origin, new URL(BASE).origin, 'the site is another origin');
});

after(() => new Promise((resolve) => site.close(resolve)));

async function open(width = 1280) {
  const context = await (await browser()).newContext({ locale: LOCALES.id, viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(siteUrl);
  const frameElement = await page.waitForSelector('iframe');
  const frame = await frameElement.contentFrame();
  await frame.waitForSelector('form.report');
  return { context, page, frameElement, frame, errors };
}

test('an embed on another origin sizes itself and files a report for its agency', async () => {
  const { context, page, frameElement, frame, errors } = await open();
  assert.equal(new URL(frame.url()).origin, new URL(BASE).origin);
  assert.equal(await frame.textContent('h1'), 'Lapor ke Pemerintah Kota Bandung');
  // The frame told its height (postMessage, origins checked on both sides).
  await page.waitForFunction(() => document.querySelector('iframe').style.height.endsWith('px'));
  const height = await frameElement.evaluate((f) => parseInt(f.style.height, 10));
  const content = await frame.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(Math.abs(height - content) <= 2, `iframe ${height}px for content of ${content}px`);
  // The badge, drawn by embed.js from the figures endpoint (CORS, no credentials).
  await page.waitForFunction(() => document.querySelector('.lapor-embed-badge')?.textContent.includes('laporan ditanggapi'));
  await assertAccessible(frame, 'embedded form');
  // Light: the frame's page and its stylesheet under 50 KB, sent compressed.
  const path = new URL(frame.url()).pathname + new URL(frame.url()).search;
  const plain = await rawGet(path);
  const sheets = await frame.$$eval('link[rel=stylesheet]', (links) => links.map((l) => new URL(l.href).pathname));
  let weight = plain.body.length;
  for (const sheet of sheets) weight += (await rawGet(sheet)).body.length;
  assert.ok(weight < MAX_PAGE_BYTES, `embedded form: ${weight} bytes`);
  assert.equal((await rawGet(path, { 'accept-encoding': 'gzip' })).headers['content-encoding'], 'gzip');

  await frame.getByLabel('Judul').fill('Lampu taman kota mati');
  await frame.getByLabel('Isi laporan').fill('Lampu di taman kota mati sejak minggu lalu sehingga taman gelap dan rawan di malam hari.');
  await frame.getByLabel('Anonim').check();
  await frame.getByRole('button', { name: 'Kirim laporan' }).click();
  await frame.waitForSelector('#nomor');
  assert.equal(await frame.textContent('h1'), 'Laporan Anda sudah kami terima');
  const id = (await frame.textContent('#nomor')).trim();
  const token = (await frame.textContent('#kode')).trim();
  assert.match(id, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  assert.ok(token.length > 20, 'the reporter token is shown');
  // It reached the service, aimed at the agency, and the token reads it.
  const response = await fetch(`${BASE}/api/v1/reports/${id}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  const report = await response.json();
  assert.equal(report.suggested_agency, AGENCY);
  assert.equal(report.reporter_identity, 'anonymous');
  assert.deepEqual(errors, [], 'no console errors on the agency site');
  await context.close();
});

test('embed screenshots at 360 px and 1280 px', async () => {
  for (const width of [360, 1280]) {
    const { context, page } = await open(width);
    await page.waitForFunction(() => document.querySelector('iframe').style.height.endsWith('px'));
    // A frame paints only inside the viewport: make the viewport the page.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(ARTIFACTS, `embed-${width}.png`) });
    await context.close();
  }
});
