// The report form: a citizen files a report with a photo (a real file
// upload) and lands on the confirmation, then opens the tracking page; a
// double submit files once; invalid input shows field errors and keeps the
// values; both languages; screenshots of the form at 360 and 1280 px.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccessible, assertGoodPage, BASE, browser, htmlLang, LOCALES, rawGet, screenshots, visit } from '../harness.mjs';

// A valid 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const TRACKING_ID = /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;
// Two renderings differ only in their fresh idempotency key.
const normalize = (html) => html.replace(/name="idempotency_key" value="[^"]*"/, '');

for (const [lang, locale, heading, kind, submit] of [
  ['id', LOCALES.id, 'Sampaikan laporan', 'Pengaduan', 'Kirim laporan'],
  ['en', LOCALES.en, 'File a report', 'Complaint (pengaduan)', 'Send report'],
]) {
  test(`the report form renders (${lang})`, async () => {
    const visited = await visit('/lapor/baru', { locale });
    const { page } = visited;
    assert.equal(await htmlLang(page), lang);
    assert.equal(await page.textContent('h1'), heading);
    assert.ok(await page.getByLabel(kind, { exact: false }).first().isChecked(), 'pengaduan is the default kind');
    assert.ok(await page.getByRole('button', { name: submit, exact: true }).isVisible());
    assert.ok((await page.$$('#f-category optgroup')).length >= 36, 'a group per topic');
    // The live character count is there (form.js ran under the CSP).
    await page.fill('#f-body', 'Lima kata saja di sini');
    assert.match(await page.textContent('#f-body-count'), /^22 \/ 5000 /);
    const { weight } = await assertGoodPage(visited, lang === 'en' ? '/lapor/baru?lang=en' : '/lapor/baru', `form (${lang})`, { normalize });
    console.log(`form (${lang}): ${weight} bytes of HTML and CSS`);
    await visited.close();
  });
}

async function fillReport(page, title) {
  await page.getByLabel('Pengaduan').check();
  await page.fill('#f-title', title);
  await page.fill('#f-body', 'Lampu penerangan di gang kami mati sejak sebulan, warga takut lewat malam hari.');
  await page.selectOption('#f-category', 'infrastruktur-lampu-jalan');
  await page.selectOption('#f-province', '32');
  await page.fill('#f-location-address', 'Gang Sukajadi 3');
  await page.getByLabel('Tidak, anonim').check();
  await page.fill('#f-reporter-phone', '0812-7777-8888');
}

test('a citizen files a report with a photo and lands on the confirmation, then the tracking page', async () => {
  const visited = await visit('/lapor/baru', { width: 360 });
  const { page } = visited;
  const title = 'Lampu jalan mati di Gang Sukajadi';
  await fillReport(page, title);
  // The no-JavaScript step: the province's regencies, values kept.
  await page.getByRole('button', { name: 'Tampilkan kabupaten/kota' }).click();
  await page.waitForSelector('#f-region option[value="32.73"]', { state: 'attached' });
  assert.equal(await page.inputValue('#f-title'), title);
  await page.selectOption('#f-region', '32.73');
  await page.setInputFiles('#f-attachments', { name: 'lampu.png', mimeType: 'image/png', buffer: PNG });
  const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Kirim laporan', exact: true }).click()]);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['cache-control'], 'no-store');
  const id = (await page.textContent('#nomor')).trim();
  assert.match(id, TRACKING_ID);
  assert.ok((await page.textContent('main')).includes('Simpan nomor ini'));
  assert.ok((await page.textContent('#kode')).trim().length >= 40, 'the reporter token is shown');
  await assertAccessible(page, 'confirmation');
  await page.screenshot({ path: `${process.env.LAPOR_ARTIFACTS || 'target/browser-artifacts'}/confirmation-360.png`, fullPage: true });

  const api = JSON.parse((await rawGet(`/api/v1/reports/${id}`)).body.toString());
  assert.equal(api.title, title);
  assert.equal(api.region, '32.73');
  assert.equal(api.reporter_identity, 'anonymous');
  assert.equal(api.attachments.length, 1, 'the photo was uploaded');
  assert.equal(api.attachments[0].kind, 'png');

  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Buka halaman laporan' }).click()]);
  assert.equal(await page.textContent('h1'), title);
  assert.equal(await page.textContent('.id strong'), id);
  await visited.close();
});

test('a double submit files once', async () => {
  const visited = await visit('/lapor/baru');
  const { page } = visited;
  await fillReport(page, 'Lampu jalan mati dua kali kirim');
  // The form as the browser would send it, twice (a double tap, a resent
  // form): the same fields, the same hidden key, a new multipart body each time.
  const fields = await page.$$eval('form.report [name]', (els) => els
    .filter((el) => el.type !== 'submit' && el.type !== 'file' && (el.type !== 'radio' || el.checked))
    .map((el) => [el.name, el.value]));
  const key = fields.find(([name]) => name === 'idempotency_key')[1];
  assert.ok(key.length >= 16);
  const request = (await (await browser()).newContext()).request;
  const ids = [];
  for (let i = 0; i < 2; i++) {
    const answer = await request.post(`${BASE}/lapor/baru`, { multipart: Object.fromEntries(fields) });
    assert.equal(answer.status(), 200);
    const html = await answer.text();
    ids.push(html.match(/id="nomor"[^>]*>([^<]+)</)[1]);
    if (i === 1) assert.equal(answer.headers()['idempotent-replayed'], 'true');
  }
  assert.equal(ids[0], ids[1], 'the same report both times');
  const api = await rawGet(`/api/v1/reports/${ids[0]}`);
  assert.equal(api.status, 200);
  assert.equal(JSON.parse(api.body.toString()).title, 'Lampu jalan mati dua kali kirim');
  await request.dispose();
  await visited.close();
});

for (const [lang, locale, summary, submit] of [
  ['id', LOCALES.id, 'Ada isian yang perlu diperbaiki', 'Kirim laporan'],
  ['en', LOCALES.en, 'Some fields need fixing', 'Send report'],
]) {
  test(`invalid input shows field errors and keeps the values (${lang})`, async () => {
    const visited = await visit('/lapor/baru', { locale });
    const { page } = visited;
    await page.fill('#f-title', 'abc');
    await page.fill('#f-body', 'Terlalu pendek');
    await page.fill('#f-reporter-phone', '12345');
    // The browser's own checks (required, maxlength) are not what is tested here.
    await page.$eval('form.report', (form) => { form.noValidate = true; });
    const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: submit, exact: true }).click()]);
    assert.equal(response.status(), 422);
    assert.equal(await page.textContent('#ringkasan h2'), summary);
    const links = await page.$$eval('#ringkasan a', (as) => as.map((a) => a.getAttribute('href')));
    for (const anchor of ['#f-title', '#f-body', '#f-reporter-phone']) assert.ok(links.includes(anchor), `${anchor} in ${links}`);
    assert.ok(await page.isVisible('#f-title-error'));
    assert.ok(await page.isVisible('#f-reporter-phone-error'));
    assert.equal(await page.getAttribute('#f-title', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#f-title'), 'abc');
    assert.equal(await page.inputValue('#f-body'), 'Terlalu pendek');
    assert.equal(await page.inputValue('#f-reporter-phone'), '12345');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ringkasan', 'the summary has focus');
    await assertAccessible(page, `form with errors (${lang})`);
    await visited.close();
  });
}

test('report form screenshots at 360 px and 1280 px', async () => {
  const files = await screenshots('/lapor/baru', 'form');
  console.log(`screenshots: ${files.join(', ')}`);
});
