// The staff console in a real browser: an administrator signs in (the
// session cookie is HttpOnly, Secure, SameSite=Strict, and Chromium keeps a
// Secure cookie on http://127.0.0.1), verifies and dispatches a report filed
// through the API, an agency officer signs in and responds; the reporter
// replies and rates through the API in between; sign-out ends the session.
// axe-core on the queue and the report screens; screenshots of the queue.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, assertGoodStaffPage, BASE, openStaff as open, SEED, signIn } from '../harness.mjs';

const { staff, staff_report: report, queued } = SEED;

async function api(method, path, token, body) {
  const response = await fetch(BASE + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

test('staff: verify, respond, reply, respond finally, rate, sign out', async () => {
  // The administrator.
  const admin = await open();
  await signIn(admin.page, staff.admin);
  const cookies = await admin.context.cookies();
  const session = cookies.find((c) => c.name === 'lapor_staf');
  assert.ok(session, 'the browser kept the session cookie (Secure, on http://127.0.0.1)');
  assert.deepEqual([session.httpOnly, session.secure, session.sameSite, session.path], [true, true, 'Strict', '/staf']);
  assert.equal(await admin.page.evaluate(() => document.cookie), '', 'no script can read it');
  assert.equal(await admin.page.textContent('h1'), 'Antrean verifikasi');
  let response = await admin.page.reload();
  await assertGoodStaffPage(admin, response, 'verification queue');
  assert.ok((await admin.page.textContent('main')).includes(report.title));
  assert.match(await admin.page.textContent('main'), /pukul \d\d\.\d\d WIB/, 'deadlines in words, in WIB');

  await admin.page.getByRole('link', { name: report.title }).click();
  await admin.page.waitForURL(`**/staf/verifikasi/${report.id}`);
  response = await admin.page.reload();
  await assertGoodStaffPage(admin, response, 'handling screen');
  await admin.page.getByLabel('Instansi (kode)').fill(SEED.agency);
  await admin.page.getByRole('button', { name: 'Verifikasi dan teruskan' }).click();
  await admin.page.waitForURL('**/staf/verifikasi');
  assert.ok((await admin.page.textContent('.flash')).includes(`Laporan ${report.id} kini berstatus: Diteruskan ke instansi`));
  assert.equal((await api('GET', `/api/v1/reports/${report.id}`, report.reporter_token)).body.status, 'dispatched');

  // The officer answers.
  const officer = await open();
  await signIn(officer.page, staff.officer);
  assert.equal(await officer.page.textContent('h1'), 'Kotak masuk: Pemerintah Kota Bandung');
  await officer.page.getByRole('link', { name: report.title }).click();
  await officer.page.waitForURL(`**/staf/kotak-masuk/${report.id}`);
  response = await officer.page.reload();
  await assertGoodStaffPage(officer, response, 'agency report screen');
  await officer.page.getByLabel('Tanggapan untuk pelapor').fill('Tim akan membersihkan saluran besok pagi.');
  await officer.page.getByRole('button', { name: 'Kirim tanggapan' }).click();
  await officer.page.waitForURL(`**/staf/kotak-masuk/${report.id}`);
  assert.ok((await officer.page.textContent('.flash')).includes('Ditanggapi instansi'));

  // The reporter replies (through the API): back to the agency.
  assert.equal((await api('POST', `/api/v1/reports/${report.id}/replies`, report.reporter_token, { body: 'Belum dibersihkan sampai hari ini.' })).status, 201);
  await officer.page.reload();
  assert.ok((await officer.page.textContent('.timeline')).includes('Belum dibersihkan sampai hari ini.'));
  await officer.page.getByLabel('Tanggapan untuk pelapor').fill('Saluran sudah dibersihkan.');
  await officer.page.getByLabel('Tanggapan akhir: laporan selesai').check();
  await officer.page.getByRole('button', { name: 'Kirim tanggapan' }).click();
  await officer.page.waitForURL(`**/staf/kotak-masuk/${report.id}`);
  assert.ok((await officer.page.textContent('.flash')).includes('Selesai'));
  const rated = await api('POST', `/api/v1/reports/${report.id}/rating`, report.reporter_token, { score: 4, comment: 'Cepat setelah diingatkan.' });
  assert.ok([200, 201].includes(rated.status), JSON.stringify(rated.body));
  assert.equal((await api('GET', `/api/v1/reports/${report.id}`, report.reporter_token)).body.status, 'completed');

  // Sign-out, then the session is refused.
  await officer.page.getByRole('button', { name: 'Keluar' }).click();
  await officer.page.waitForURL('**/staf/masuk?keluar=1');
  assert.ok((await officer.page.textContent('main')).includes('Anda telah keluar.'));
  response = await officer.page.goto(`${BASE}/staf/kotak-masuk`);
  assert.equal(response.status(), 401);
  assert.ok(await officer.page.getByLabel('Token petugas').isVisible());
  await officer.context.close();

  // Screenshots of the queue (a report still waits there), with the admin's session.
  for (const width of [360, 1280]) {
    const shot = await open(width);
    await shot.context.addCookies(cookies);
    const answer = await shot.page.goto(`${BASE}/staf/verifikasi`);
    assert.equal(answer.status(), 200);
    assert.ok((await shot.page.textContent('main')).includes(queued.title));
    const overflow = await shot.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `staff queue at ${width}px scrolls sideways by ${overflow}px`);
    await shot.page.screenshot({ path: join(ARTIFACTS, `staff-queue-${width}.png`), fullPage: true });
    await shot.context.close();
  }
  await admin.context.close();
});
