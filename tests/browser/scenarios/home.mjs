// The home page: both languages, the language switch, the way in, the
// lookup form, recent reports, the live national figures; screenshots.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertGoodPage, htmlLang, LOCALES, screenshots, SEED, visit } from '../harness.mjs';

test('home in Indonesian by default, with every check a page owes', async () => {
  const visited = await visit('/', { locale: LOCALES.id });
  const { page } = visited;
  assert.equal(await htmlLang(page), 'id');
  assert.equal(await page.textContent('h1'), 'Sampaikan laporan Anda');
  const entry = page.getByRole('link', { name: 'Buat laporan' }).first();
  assert.equal(await entry.getAttribute('href'), '/lapor/baru');
  assert.ok(await page.getByRole('link', { name: SEED.report.title }).isVisible(), 'the verified report is listed');
  // The seed files reports: the national figures count them.
  const received = Number(await page.locator('dl.kpis dt:text-is("Laporan masuk") + dd').textContent());
  assert.ok(received >= 3, `national figures: ${received} received`);
  for (const name of ['Beranda', 'Lapor', 'Lacak', 'Kinerja', 'Cara kerja', 'Privasi']) {
    assert.ok(await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name, exact: true }).isVisible(), name);
  }
  await assertGoodPage(visited, '/', 'home (id)');
  await visited.close();
});

test('home in English by Accept-Language', async () => {
  const visited = await visit('/', { locale: LOCALES.en });
  assert.equal(await htmlLang(visited.page), 'en');
  assert.equal(await visited.page.textContent('h1'), 'Make your report');
  assert.ok(await visited.page.getByText('National figures, the last 90 days').isVisible());
  await assertGoodPage(visited, '/?lang=en', 'home (en)');
  await visited.close();
});

test('the language switch is plain links that keep the choice while browsing', async () => {
  const visited = await visit('/', { locale: LOCALES.id });
  const { page } = visited;
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL('**/?lang=en');
  assert.equal(await htmlLang(page), 'en');
  assert.equal(await page.textContent('h1'), 'Make your report');
  // The choice follows the navigation, though the browser asks for Indonesian.
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Privacy' }).click();
  await page.waitForURL('**/privasi?lang=en');
  assert.equal(await htmlLang(page), 'en');
  await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
  await page.waitForURL('**/privasi?lang=id');
  assert.equal(await htmlLang(page), 'id');
  await visited.close();
});

test('the skip link is the first stop and leads to the content', async () => {
  const visited = await visit('/', { locale: LOCALES.id });
  const { page } = visited;
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Langsung ke isi');
  assert.ok(await page.locator('.skip').isVisible(), 'visible when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'isi');
  await visited.close();
});

test('home screenshots at 360 px and 1280 px', async () => {
  const files = await screenshots('/', 'home');
  console.log(`screenshots: ${files.join(', ')}`);
});
