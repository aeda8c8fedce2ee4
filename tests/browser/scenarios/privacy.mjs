// The privacy page: what anonim and rahasia guarantee and do not, both languages.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertGoodPage, htmlLang, LOCALES, visit } from '../harness.mjs';

for (const [lang, locale, guaranteed, notGuaranteed, header] of [
  ['id', LOCALES.id, 'Yang dijamin', 'Yang tidak dapat dijamin', 'Rahasia, pelapor anonim'],
  ['en', LOCALES.en, 'What is guaranteed', 'What cannot be guaranteed', 'Confidential, anonymous reporter'],
]) {
  test(`privacy (${lang})`, async () => {
    const visited = await visit('/privasi', { locale });
    const { page } = visited;
    assert.equal(await htmlLang(page), lang);
    assert.ok(await page.getByRole('heading', { name: guaranteed, exact: true }).isVisible());
    assert.ok(await page.getByRole('heading', { name: notGuaranteed, exact: true }).isVisible());
    assert.ok(await page.getByRole('columnheader', { name: header }).isVisible(), 'the who-sees-what table');
    assert.equal(await page.getByRole('row').count(), 5, 'a header row and four viewers');
    await assertGoodPage(visited, lang === 'en' ? '/privasi?lang=en' : '/privasi', `privacy (${lang})`);
    await visited.close();
  });
}
