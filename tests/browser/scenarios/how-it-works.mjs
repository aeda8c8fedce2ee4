// How the service works: the working-day deadlines, both languages.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertGoodPage, htmlLang, LOCALES, SEED, visit } from '../harness.mjs';

for (const [lang, locale, heading, unit] of [
  ['id', LOCALES.id, 'Cara kerja LAPOR!', 'hari kerja'],
  ['en', LOCALES.en, 'How LAPOR! works', 'working days'],
]) {
  test(`how it works (${lang})`, async () => {
    const visited = await visit('/cara-kerja', { locale });
    const { page } = visited;
    assert.equal(await htmlLang(page), lang);
    assert.equal(await page.textContent('h1'), heading);
    // The numbers the SLA clocks run on (the spawning test passes them from lapor_domain::sla).
    for (const days of SEED.working_days) {
      assert.ok(await page.getByRole('heading', { name: new RegExp(`\\b${days} ${unit}`) }).isVisible(), `${days} ${unit}`);
    }
    await assertGoodPage(visited, lang === 'en' ? '/cara-kerja?lang=en' : '/cara-kerja', `how it works (${lang})`);
    await visited.close();
  });
}
