// The administrators' screens of the staff console in a real browser:
// categories, embed origins and the notification dead letter. Each is
// reached from the menu, shown at phone and desktop widths, and checked
// with axe-core; a refused embed list (a line named beside the textarea)
// is checked too. Nothing is changed (other scenarios share the app).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccessible, BASE, browser, CSP, MAX_PAGE_BYTES, SEED } from '../harness.mjs';

/** The page's HTML and its stylesheets, fetched with the session's cookies: under 50 KB. */
async function assertLight(context, page, what) {
  const url = new URL(page.url());
  let weight = (await (await context.request.get(url.href)).body()).length;
  for (const sheet of await page.$$eval('link[rel=stylesheet]', (links) => links.map((l) => l.href))) {
    weight += (await (await context.request.get(sheet)).body()).length;
  }
  assert.ok(weight < MAX_PAGE_BYTES, `${what}: ${weight} bytes of HTML and CSS, over ${MAX_PAGE_BYTES}`);
}

async function signedIn(width) {
  const context = await (await browser()).newContext({ locale: 'id-ID', viewport: { width, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  // The refused form is answered 422 on purpose; Chromium logs that status.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('status of 422')) errors.push(m.text()); });
  await page.goto(`${BASE}/staf/masuk`);
  await page.getByLabel('Token petugas').fill(SEED.staff.admin);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await page.waitForLoadState('load');
  return { context, page, errors };
}

for (const width of [360, 1280]) {
  test(`staff (admin screens, ${width}px): categories, embeds, undelivered notifications`, async () => {
    const { context, page, errors } = await signedIn(width);
    const menu = page.getByRole('navigation', { name: 'Menu petugas' });

    await menu.getByRole('link', { name: 'Kategori' }).click();
    await page.waitForURL('**/staf/kategori');
    assert.equal(await page.textContent('h1'), 'Kategori laporan');
    assert.ok((await page.textContent('main')).includes('drainase'));
    await page.getByText('Ubah nama', { exact: false }).first().click();
    await assertAccessible(page, `categories ${width}`);
    await assertLight(context, page, `categories ${width}`);

    await menu.getByRole('link', { name: 'Sematan' }).click();
    await page.waitForURL('**/staf/embed');
    await page.getByLabel('Instansi (kode atau kata pencarian)').fill(SEED.agency);
    await page.getByRole('button', { name: 'Cari' }).click();
    await page.waitForURL(`**/staf/embed?agency=${SEED.agency}`);
    const response = await page.reload();
    assert.equal(response.headers()['content-security-policy'], CSP);
    assert.ok((await page.textContent('pre.snippet')).includes(`data-agency="${SEED.agency}"`));
    await assertAccessible(page, `embed origins ${width}`);
    await assertLight(context, page, `embed origins ${width}`);
    // A line that is no origin: refused, named beside the field, kept.
    await page.getByLabel('Origin yang diizinkan, satu per baris').fill('https://bandung.go.id\nbukan origin');
    await page.getByRole('button', { name: 'Simpan daftar' }).click();
    await page.waitForLoadState('load');
    assert.ok((await page.textContent('#origins-error')).includes('Baris 2 (bukan origin)'));
    assert.equal(await page.inputValue('#origins'), 'https://bandung.go.id\nbukan origin');
    await assertAccessible(page, `embed origins refused ${width}`);

    await menu.getByRole('link', { name: 'Pemberitahuan gagal' }).click();
    await page.waitForURL('**/staf/notifikasi');
    assert.equal(await page.textContent('h1'), 'Pemberitahuan gagal terkirim');
    await assertAccessible(page, `dead letter ${width}`);
    await assertLight(context, page, `dead letter ${width}`);
    assert.deepEqual(errors, [], 'console errors');
    await context.close();
  });
}
