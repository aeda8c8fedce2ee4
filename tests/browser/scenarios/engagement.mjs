// The tracking page's forms in a browser with JavaScript OFF (every action
// must be a plain form post and a 303): support, comment and flag, follow,
// and the reporter's reply and rating on a report the agency answered.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccessible, assertGoodPage, BASE, browser, LOCALES, screenshots, SEED, visit } from '../harness.mjs';

/** A page in a context without JavaScript, sharing its cookies across visits. */
async function noScript(locale = LOCALES.id) {
  const context = await (await browser()).newContext({ locale, javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
  context.setDefaultTimeout(15_000);
  return { context, page: await context.newPage() };
}

test('support, comment, flag and follow from the page without JavaScript', { timeout: 90_000 }, async () => {
  const { context, page } = await noScript();
  const path = `/lapor/${SEED.report.id}`;
  await page.goto(BASE + path);
  const before = Number(await page.textContent('.supports strong'));
  await page.getByRole('button', { name: 'Dukung laporan ini' }).click();
  await page.waitForURL(`**${path}?ok=dukung#dukungan`);
  assert.match(await page.textContent('.notice'), /Dukungan Anda tercatat/);
  assert.equal(Number(await page.textContent('.supports strong')), before + 1);
  const cookies = await context.cookies();
  const identity = cookies.find((c) => c.name === 'lapor_citizen');
  assert.ok(identity && identity.httpOnly && identity.secure && identity.sameSite === 'Lax', JSON.stringify(cookies));

  // A mistake: the message beside the field, the typed name kept, 422.
  await page.getByLabel('Nama tampilan (boleh kosong)').fill('Petugas Resmi');
  await page.locator('#comment-body').fill('Saya juga lewat sana setiap hari.');
  const [refused] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/komentar')), page.getByRole('button', { name: 'Kirim komentar' }).click()]);
  assert.equal(refused.status(), 422);
  assert.ok(await page.locator('#comment-name-error').isVisible());
  assert.equal(await page.inputValue('#comment-body'), 'Saya juga lewat sana setiap hari.');
  await page.getByLabel('Nama tampilan (boleh kosong)').fill('Budi');
  await page.getByRole('button', { name: 'Kirim komentar' }).click();
  await page.waitForURL('**?ok=komentar#komentar');
  assert.match(await page.textContent('ol.comments'), /Saya juga lewat sana setiap hari\./);

  // Flag it (the details element opens without script).
  await page.locator('ol.comments li').last().locator('summary').click();
  await page.locator('ol.comments li').last().getByLabel('Alasan').selectOption('spam');
  await page.locator('ol.comments li').last().getByRole('button', { name: 'Laporkan', exact: true }).click();
  await page.waitForURL('**?ok=tandai#komentar');
  assert.match(await page.textContent('.notice'), /akan diperiksa/);

  // Follow by e-mail.
  await page.getByLabel('Lewat').selectOption('email');
  await page.getByLabel('Alamat e-mail, nomor, atau URL').fill('budi@example.id');
  await page.getByRole('button', { name: 'Kawal', exact: true }).click();
  await page.waitForURL('**?ok=kawal#kawal');
  assert.match(await page.textContent('.notice'), /mengawal laporan ini/);
  await context.close();
});

test('the reporter signs in on the page, then replies and rates without JavaScript', { timeout: 90_000 }, async () => {
  const { context, page } = await noScript(LOCALES.en);
  const path = `/lapor/${SEED.answered.id}?lang=en`;
  await page.goto(BASE + path);
  assert.match(await page.textContent('.status'), /Answered by the agency/);
  assert.match(await page.textContent('.deadline'), /completes automatically unless there is a reply by \w+day \d+ \w+ \d{4}, 23:59 WIB/);
  await page.getByLabel('Reporter secret code').fill(SEED.answered.token);
  await page.getByRole('button', { name: 'Sign in as the reporter' }).click();
  await page.waitForURL('**ok=pelapor**');
  await page.getByLabel('Score (1 poor, 5 excellent)').selectOption('4');
  await page.getByLabel('Note (optional)').fill('Quick once reminded.');
  await page.getByRole('button', { name: 'Send rating' }).click();
  await page.waitForURL('**ok=nilai**');
  assert.match(await page.textContent('ol.timeline'), /The reporter rated the handling/);
  await page.getByLabel('Your reply').fill('The drain is still blocked near the school.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.waitForURL('**ok=balas**');
  assert.match(await page.textContent('.status'), /With the agency/);
  assert.match(await page.textContent('.deadline'), /must be answered by/);
  await context.close();
});

test('tracking page with timeline and comments: good page, screenshots', { timeout: 90_000 }, async () => {
  // By now the seeded report has a comment (the first test above).
  const path = `/lapor/${SEED.report.id}`;
  const visited = await visit(path);
  const { page } = visited;
  assert.ok((await page.locator('ol.timeline li').count()) >= 2);
  assert.ok(await page.locator('ol.timeline time').first().textContent().then((t) => / WIB$/.test(t.trim())));
  await assertGoodPage(visited, path, 'tracking page with forms');
  // The page re-rendered with field errors (422) is accessible too
  // (axe needs JavaScript, so this context has it; the form is the same).
  await page.locator('#comment-name').fill('Admin LAPOR');
  await page.locator('#comment-body').fill('Komentar dengan nama yang ditolak.');
  const [refused] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/komentar')), page.getByRole('button', { name: 'Kirim komentar' }).click()]);
  assert.equal(refused.status(), 422);
  await page.waitForSelector('#comment-name-error');
  await assertAccessible(page, 'tracking page with field errors');
  await visited.close();
  const files = await screenshots(path, 'tracking-comments');
  console.log(`screenshots: ${files.join(', ')}`);
});
