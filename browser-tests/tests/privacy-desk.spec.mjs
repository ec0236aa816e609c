// The privacy desk (DPO console) end to end: a person files an access, a rectification and an
// erasure request; the copy of their data is made and downloaded once; the officer applies the
// correction, weighs and carries out the erasure, publishes a notice and reads its feedback,
// records a breach with its clock and letters, and places and releases a legal hold.
import { test, expect } from '@playwright/test';
import { login, nameOf, signIn } from './demo.mjs';

test.describe.configure({ mode: 'serial' });

const person = 'Kepala OPD (atasan)';

test('a person files requests from "my privacy" and downloads the copy of their data once', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  await signIn(page, person);
  await page.goto('/app/privasi');
  await page.selectOption('#request-form select[name=kind]', 'rectification');
  await page.selectOption('#request-form select[name=field]', 'position');
  await page.fill('#request-form input[name=value]', 'Kepala Dinas Komunikasi');
  await page.fill('#request-form input[name=detail]', 'Jabatan saya sudah berubah sejak Oktober');
  await page.click('#request-form button[type=submit]');
  await expect(page.locator('#my-requests')).toContainText('Perbaikan data');

  await page.selectOption('#request-form select[name=kind]', 'erasure');
  await expect(page.locator('#request-form select[name=field]')).toBeHidden();
  await page.fill('#request-form input[name=detail]', 'Hapus swafoto dan lokasi saya');
  await page.click('#request-form button[type=submit]');
  await expect(page.locator('#my-requests')).toContainText('Penghapusan');

  await page.selectOption('#request-form select[name=kind]', 'access');
  await page.fill('#request-form input[name=detail]', 'Salinan semua data saya');
  await page.click('#request-form button[type=submit]');
  await expect(page.locator('#my-requests')).toContainText('Akses dan salinan data');
  // The server's worker makes the copy within seconds.
  await expect(async () => {
    await page.reload();
    await expect(page.locator('#my-copy')).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#my-copy')]);
  const zip = Buffer.concat(await (await download.createReadStream()).toArray());
  expect(zip.subarray(0, 4).toString('binary')).toBe('PK\x03\x04');
  for (const name of ['README.txt', 'profile.json', 'checkins.csv', 'consents.json', 'access_log.json']) {
    expect(zip.includes(name), name).toBe(true);
  }
  await page.reload();
  await expect(page.locator('#my-requests')).toContainText('Salinan sudah diunduh');
});

test('the officer applies the correction, weighs the erasure and answers the access request', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  await signIn(page, 'Admin instansi');
  await page.click('#nav-dpo');
  await expect(page).toHaveURL(/\/dpo$/);
  const theirs = (kind) => page.locator('section.request', { hasText: kind }).filter({ hasText: nameOf(person) });
  const correction = theirs('Perbaikan data');
  await expect(correction).toContainText('Kepala Dinas Komunikasi');
  await expect(correction).toContainText(/\d+ hari( \d+ jam)? lagi/);
  await page.screenshot({ path: '../docs/screenshots/dpo-requests.png', fullPage: true });
  page.once('dialog', (dialog) => dialog.accept());
  await correction.getByRole('button', { name: 'Terapkan perbaikan' }).click();
  await expect(theirs('Perbaikan data')).toHaveCount(0);

  const erasure = theirs('Penghapusan');
  await erasure.getByRole('link', { name: 'Timbang penghapusan' }).click();
  await expect(page.locator('#erasure-plan')).toContainText('Akun masuk dan sesinya: Anda masih bekerja');
  await expect(page.locator('#erasure-plan')).toContainText('Riwayat persetujuan: bukti persetujuan');
  await page.screenshot({ path: '../docs/screenshots/dpo-erasure.png', fullPage: true });
  page.once('dialog', (dialog) => dialog.accept());
  await page.click('#erase');
  await expect(page).toHaveURL(/\/dpo\?status=semua$/);
  await expect(theirs('Penghapusan')).toContainText('Dihapus:');

  await page.goto('/dpo');
  const access = theirs('Akses dan salinan data');
  await expect(access).toContainText('Salinan data siap');
  await access.locator('select[name=status]').selectOption('answered');
  await access.locator('textarea[name=note]').fill('Salinan lengkap telah disediakan di Privasi saya.');
  await access.getByRole('button', { name: 'Simpan' }).click();
  await expect(theirs('Akses dan salinan data')).toHaveCount(0);

  // The person's record carries the correction; their requests read as answered.
  const found = await (await page.request.get(`/api/v1/people?q=${login(person)}`)).json();
  expect(found.items[0].position).toBe('Kepala Dinas Komunikasi');
});

test('the officer publishes a notice under review; a person comments; a breach and a hold are recorded', async ({ page, browser }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  await signIn(page, 'Admin instansi');
  await page.goto('/dpo/pemberitahuan');
  await expect(page.locator('#notice-state')).toContainText('berlaku sejak');
  await page.fill('#notice-form textarea[name=text_id]', 'Versi 2: swafoto kini disimpan 60 hari.\n\nHak Anda tetap sama.');
  await page.fill('#notice-form textarea[name=text_en]', 'Version 2: selfies are now kept 60 days.\n\nYour rights stay the same.');
  await page.fill('#notice-form input[name=review_days]', '14');
  await page.click('#notice-form button[type=submit]');
  await expect(page.locator('#notice-state')).toContainText('berlaku mulai');

  const other = await browser.newPage();
  await signIn(other, person);
  await expect(other.locator('#notice-announced')).toContainText('versi 2');
  await other.click('#notice-announced a');
  await other.fill('#feedback-form textarea[name=text]', 'Mohon jelaskan mengapa 60 hari.');
  await other.click('#feedback-form button[type=submit]');
  await expect(other.locator('#feedback-result')).toContainText('Tersimpan');
  await other.close();
  await page.reload();
  await expect(page.locator('#feedback')).toContainText('Mohon jelaskan mengapa 60 hari.');

  await page.goto('/dpo/register');
  await page.click('text=Catat kejadian');
  const now = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 16);
  await page.fill('#breach-form input[name=discovered_at]', now);
  await page.fill('#breach-form input[name=occurred]', 'Malam sebelumnya');
  await page.fill('#breach-form input[name=data_affected]', 'nama dan NIP');
  await page.fill('#breach-form input[name=how]', 'cadangan terbuka');
  await page.fill('#breach-form input[name=remediation]', 'akses ditutup');
  await page.fill('#breach-form input[name=contact]', 'dpo@bengkuluprov.go.id');
  await page.fill('#breach-form input[name=people_affected]', 'dua');
  await page.click('#breach-form button[type=submit]');
  await expect(page.locator('#breach-form input[name=people_affected]')).toHaveAttribute('aria-invalid', 'true');
  await page.fill('#breach-form input[name=people_affected]', '12');
  await page.click('#breach-form button[type=submit]');
  const breach = page.locator('#breaches tbody tr').first();
  await expect(breach).toContainText(/2 hari 2\d jam lagi/);
  const letter = await page.request.get(await breach.locator('a', { hasText: 'PDF' }).first().getAttribute('href'));
  expect(letter.headers()['content-type']).toBe('application/pdf');
  await page.screenshot({ path: '../docs/screenshots/dpo-registers.png', fullPage: true });
  await breach.getByRole('button', { name: 'tandai terkirim' }).first().click();
  await expect(page.locator('#breaches tbody tr').first()).toContainText(/· terkirim \d/);

  await page.goto('/dpo/retensi');
  await expect(page.locator('#retention-due')).toBeVisible();
  await page.fill('#hold-form input[name=login]', login('Pegawai'));
  await page.fill('#hold-form input[name=reference]', 'Perkara 7/2026');
  await page.fill('#hold-form input[name=reason]', 'Pemeriksaan inspektorat');
  await page.click('#hold-form button[type=submit]');
  const hold = page.locator('#holds tbody tr', { hasText: 'Perkara 7/2026' });
  await expect(hold).toBeVisible();
  page.once('dialog', (dialog) => dialog.accept());
  await hold.getByRole('button', { name: 'Lepas' }).click();
  await expect(page.locator('#holds tbody tr', { hasText: 'Perkara 7/2026' })).toContainText('Dilepas');
});
