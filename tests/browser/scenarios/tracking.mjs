// The lookup form and the tracking page of a seeded report: both languages,
// the lookup leading to the page, screenshots.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertGoodPage, htmlLang, LOCALES, screenshots, SEED, visit } from '../harness.mjs';

for (const [lang, locale, label, button, heading] of [
  ['id', LOCALES.id, 'Nomor pelacakan', 'Lacak', 'Lacak laporan'],
  ['en', LOCALES.en, 'Tracking ID', 'Track', 'Track a report'],
]) {
  test(`lookup form leads to the tracking page (${lang})`, async () => {
    const visited = await visit('/lapor', { locale });
    const { page } = visited;
    assert.equal(await htmlLang(page), lang);
    assert.equal(await page.textContent('h1'), heading);
    await assertGoodPage(visited, lang === 'en' ? '/lapor?lang=en' : '/lapor', `lookup (${lang})`);
    // Typed as a person might: lower case, with spaces around.
    await page.getByLabel(label).fill(`  ${SEED.report.id.toLowerCase()} `);
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.waitForURL(`**/lapor/${SEED.report.id.toLowerCase()}`);
    assert.equal(await page.textContent('.id strong'), SEED.report.id);
    assert.equal(await page.textContent('h1'), SEED.report.title);
    await visited.close();
  });
}

for (const [lang, locale, status, history] of [
  ['id', LOCALES.id, 'Riwayat', 'Nomor pelacakan'],
  ['en', LOCALES.en, 'History', 'Tracking ID'],
]) {
  test(`tracking page (${lang})`, async () => {
    const path = `/lapor/${SEED.report.id}`;
    const visited = await visit(path, { locale });
    const { page } = visited;
    assert.equal(await htmlLang(page), lang);
    assert.equal(await page.textContent('h1'), SEED.report.title);
    assert.ok(await page.getByRole('heading', { name: status }).isVisible());
    assert.ok((await page.textContent('.id')).startsWith(history));
    await assertGoodPage(visited, lang === 'en' ? `${path}?lang=en` : path, `tracking (${lang})`);
    await visited.close();
  });
}

test('tracking page screenshots at 360 px and 1280 px', async () => {
  const files = await screenshots(`/lapor/${SEED.report.id}`, 'tracking');
  console.log(`screenshots: ${files.join(', ')}`);
});
