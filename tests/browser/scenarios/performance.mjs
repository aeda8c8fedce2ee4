// The performance pages: the public league table (`/kinerja`) and an
// agency's page (`/instansi/{code}`), both languages, good pages at 360 px
// with their charts drawn as SVG (no script) and their numbers in tables;
// the staff dashboard for an executive (their agency) and an administrator
// (the nation), refused to a browser without a session.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { ARTIFACTS, assertGoodPage, assertGoodStaffPage, BASE, htmlLang, LOCALES, openStaff, screenshots, SEED, signIn, visit } from '../harness.mjs';

for (const [lang, locale, heading] of [['id', LOCALES.id, 'Kinerja instansi'], ['en', LOCALES.en, 'Agency performance']]) {
  test(`the league table and an agency's page are good pages (${lang})`, { timeout: 90_000 }, async () => {
    const suffix = lang === 'en' ? '?lang=en' : '';
    const league = await visit(`/kinerja${suffix}`, { locale, width: 360 });
    assert.equal(await htmlLang(league.page), lang);
    assert.equal(await league.page.textContent('h1'), heading);
    await assertGoodPage(league, `/kinerja${suffix}`, `league ${lang}`);
    // The seeded agency answered too few reports to be ranked: it is listed unranked, with a link.
    await league.page.getByRole('link', { name: 'Pemerintah Kota Bandung' }).first().click();
    await league.page.waitForURL(`**/instansi/${SEED.agency}*`);
    await league.close();

    const path = `/instansi/${SEED.agency}${suffix}`;
    const agency = await visit(path, { locale, width: 360 });
    await assertGoodPage(agency, path, `agency page ${lang}`);
    assert.equal(await agency.page.textContent('h1'), 'Pemerintah Kota Bandung');
    const charts = agency.page.locator('figure svg[role=img]');
    assert.equal(await charts.count(), 2, 'two charts, drawn on the server');
    // Every chart has its numbers in a table a screen reader can reach.
    assert.ok((await agency.page.locator('figure table').count()) >= 2);
    await agency.close();
  });
}

test('the filter of the league table; a bad filter is a helpful 400 page', async () => {
  const filtered = await visit('/kinerja?type=pemkot', { locale: LOCALES.id });
  assert.equal(filtered.response.status(), 200);
  assert.equal(await filtered.page.locator('select#type').inputValue(), 'pemkot');
  await filtered.close();
  const bad = await visit('/kinerja?province=999', { locale: LOCALES.id });
  assert.equal(bad.response.status(), 400);
  assert.ok((await bad.page.textContent('[role=alert]')).includes('provinsi'));
  await bad.close();
  const files = [...(await screenshots('/kinerja', 'kinerja')), ...(await screenshots(`/instansi/${SEED.agency}`, 'instansi'))];
  console.log(`screenshots: ${files.join(', ')}`);
});

test('the dashboard: an executive sees their agency, an administrator the nation, nobody else', { timeout: 120_000 }, async () => {
  const anonymous = await fetch(`${BASE}/staf/dasbor`, { redirect: 'manual' });
  assert.equal(anonymous.status, 401, 'no session, no dashboard');
  const alias = await fetch(`${BASE}/dashboard`, { redirect: 'manual' });
  assert.equal(alias.status, 303);
  assert.equal(alias.headers.get('location'), '/staf/dasbor');

  const executive = await openStaff(360);
  await signIn(executive.page, SEED.staff.executive);
  await executive.page.waitForURL('**/staf/dasbor');
  let response = await executive.page.reload();
  await assertGoodStaffPage(executive, response, 'executive dashboard');
  assert.match(await executive.page.textContent('h1'), /Pemerintah Kota Bandung/);
  assert.equal(await executive.page.locator('figure svg[role=img]').count(), 2);
  const overflow = await executive.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the dashboard scrolls sideways at 360px by ${overflow}px`);
  await executive.page.screenshot({ path: join(ARTIFACTS, 'dashboard-360.png'), fullPage: true });
  // Another agency's dashboard is not theirs.
  response = await executive.page.goto(`${BASE}/staf/dasbor?instansi=kemenkes`);
  assert.equal(response.status(), 403);
  await executive.context.close();

  const admin = await openStaff(1280);
  await signIn(admin.page, SEED.staff.admin);
  response = await admin.page.goto(`${BASE}/staf/dasbor`);
  await assertGoodStaffPage(admin, response, 'national dashboard');
  assert.equal(await admin.page.textContent('h1'), 'Dasbor nasional');
  response = await admin.page.goto(`${BASE}/staf/dasbor/ringkasan`);
  await assertGoodStaffPage(admin, response, 'weekly summaries');
  await admin.context.close();
});
