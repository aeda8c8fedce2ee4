// `/laporan`: browse and search public reports, a filter, the next page,
// both languages, at 360 px.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertGoodPage, htmlLang, LOCALES, screenshots, SEED, visit } from '../harness.mjs';

for (const [lang, locale, heading, next, words] of [
  ['id', LOCALES.id, 'Telusuri laporan', 'Berikutnya', 'Kata kunci'],
  ['en', LOCALES.en, 'Browse reports', 'Next', 'Words'],
]) {
  test(`browse with a filter and the next page (${lang})`, async () => {
    const visited = await visit('/laporan?limit=1', { locale, width: 360 });
    const { page } = visited;
    assert.equal(await htmlLang(page), lang);
    assert.equal(await page.textContent('h1'), heading);
    assert.equal(await page.locator('ol.reports li').count(), 1);
    const first = await page.textContent('ol.reports h2');
    await page.getByRole('link', { name: next }).click();
    await page.waitForURL('**/laporan?limit=1&cursor=*');
    assert.equal(await page.locator('ol.reports li').count(), 1);
    assert.notEqual(await page.textContent('ol.reports h2'), first);

    // Words: only the seeded bridge report has "jembatan".
    await page.getByLabel(words).fill('jembatan');
    await page.getByRole('button', { name: lang === 'id' ? 'Cari' : 'Search' }).click();
    await page.waitForURL('**/laporan?q=jembatan*');
    assert.equal(await page.locator('ol.reports li').count(), 1);
    await page.getByRole('link', { name: SEED.report.title }).click();
    await page.waitForURL(`**/lapor/${SEED.report.id}*`);
    await visited.close();
  });
}

test('browse pages are good pages; a bad filter is shown beside its field', { timeout: 90_000 }, async () => {
  for (const [path, locale] of [['/laporan', LOCALES.id], ['/laporan?lang=en', LOCALES.en], [`/laporan?status=${SEED.status}`, LOCALES.id]]) {
    const visited = await visit(path, { locale });
    await assertGoodPage(visited, path, `browse ${path}`);
    await visited.close();
  }
  const bad = await visit('/laporan?status=lost', { locale: LOCALES.id });
  assert.equal(bad.response.status(), 400);
  assert.ok(await bad.page.locator('.field-error').first().isVisible());
  await bad.close();
  const files = await screenshots('/laporan', 'browse');
  console.log(`screenshots: ${files.join(', ')}`);
});
