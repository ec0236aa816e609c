// The admin console's rules: work schedules (and giving one to a person with their check-in
// locations), the holiday calendar, and the discipline table; and today's board opened down to
// one person's month. Dates are far from today so the other tests' statuses do not move.
import { test, expect } from '@playwright/test';
import { nameOf, signIn } from './demo.mjs';

test('an institution admin adds a night shift, a Ramadan period, and gives the shift to a person', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  await signIn(page, 'Admin instansi');
  await page.goto('/admin/jadwal');
  await page.click('#add-schedule');
  await page.fill('input[name=name]', 'Shift malam');
  // The standard week comes filled in: make it Saturday nights only.
  for (const day of [1, 2, 3, 4, 5]) await page.uncheck(`input[name=works_${day}]`);
  await page.check('input[name=works_6]');
  await page.fill('input[name=start_6]', '22:00');
  await page.fill('input[name=end_6]', '06:00');
  await page.fill('input[name=break_start_6]', '02:00');
  await page.fill('input[name=break_end_6]', '07:00');
  await page.click('#schedule-form button[type=submit]');
  // The break that does not fit is marked beside Saturday's break; what was typed stays.
  await expect(page.locator('#schedule-form .field-error')).toContainText('Istirahat');
  await expect(page.locator('input[name=break_start_6]')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('input[name=name]')).toHaveValue('Shift malam');
  await page.fill('input[name=break_end_6]', '02:30');
  await page.click('#schedule-form button[type=submit]');
  await expect(page.locator('h1')).toHaveText('Shift malam');
  await expect(page).not.toHaveURL(/baru/);

  await page.goto('/admin/jadwal/baru?pola=ramadan');
  await expect(page.locator('input[name=start_1]')).toHaveValue('08:00');
  await page.fill('input[name=name]', 'Ramadan 1448 H');
  await page.fill('input[name=valid_from]', '2027-02-08');
  await page.fill('input[name=valid_to]', '2027-03-09');
  await page.click('#schedule-form button[type=submit]');
  await expect(page.locator('h1')).toHaveText('Ramadan 1448 H');
  await page.goto('/admin/jadwal');
  const night = page.locator('#schedules tr', { hasText: 'Shift malam' });
  await expect(night).toContainText('Sab 22:00–06:00');
  await expect(night).toContainText('7,5 jam');
  await expect(page.locator('#schedules tr', { hasText: 'Ramadan 1448 H' })).toContainText('08-02-2027 – 09-03-2027');
  await page.screenshot({ path: '../docs/screenshots/admin-schedules.png', fullPage: true });

  // A person's page: their check-in locations and the new shift.
  await page.goto('/admin/orang');
  await page.fill('#people-q', nameOf('Kepala bidang (atasan)'));
  await page.click('#people tbody a');
  await page.selectOption('#person-schedule-form select[name=schedule_id]', { label: 'Shift malam' });
  await page.click('#person-schedule-form button');
  await expect(page.locator('#schedule-result')).toContainText('Tersimpan');
  const boxes = page.locator('#locations-form input[name=location_id]');
  await expect(boxes.first()).toBeVisible();
  const ticked = await page.locator('#locations-form input[name=location_id]:checked').count();
  await boxes.last().setChecked(true);
  await page.click('#locations-form button');
  await expect(page.locator('#locations-result')).toContainText('Tersimpan');
  await page.reload();
  await expect(page.locator('#person-schedule-form select[name=schedule_id] option:checked')).toHaveText('Shift malam');
  expect(await page.locator('#locations-form input[name=location_id]:checked').count()).toBeGreaterThanOrEqual(Math.max(ticked, 1));
  // Back to the default, so the person's days stay as the other tests expect.
  await page.selectOption('#person-schedule-form select[name=schedule_id]', '');
  await page.click('#person-schedule-form button');
  await expect(page.locator('#schedule-result')).toContainText('Tersimpan');
});

test('an institution admin reads the year\'s holidays, adds a regional one, amends and deletes it', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  await signIn(page, 'Admin instansi');
  await page.goto('/admin/libur?tahun=2026');
  // The 2026 decree: 17 national holidays and 8 cuti bersama (DOMAIN.md §5).
  await expect(page.locator('#holiday-counts')).toContainText('Hari libur: 17');
  await expect(page.locator('#holiday-counts')).toContainText('Cuti bersama: 8');
  await page.click('#next-year');
  await expect(page.locator('h1')).toContainText('2027');

  await page.fill('#holiday-form input[name=name]', 'Hari Jadi Provinsi Bengkulu');
  await page.fill('#holiday-form input[name=decree]', 'Pergub Bengkulu No. 1 Tahun 2027');
  await page.evaluate(() => { document.querySelector('#holiday-form input[name=date]').removeAttribute('required'); });
  await page.click('#holiday-form button[type=submit]');
  await expect(page.locator('#holiday-form .field-error')).toContainText('TTTT-BB-HH');
  await expect(page.locator('#holiday-form input[name=name]')).toHaveValue('Hari Jadi Provinsi Bengkulu');
  await page.fill('#holiday-form input[name=date]', '2027-11-18');
  await page.click('#holiday-form button[type=submit]');
  const row = page.locator('#holidays tbody tr', { has: page.locator('input[value="Hari Jadi Provinsi Bengkulu"]') });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('ditambahkan instansi');
  await row.locator('input[name=date]').fill('2027-11-19');
  await row.locator('button', { hasText: 'Simpan' }).click();
  await expect(row.locator('.row-result')).toContainText('Tersimpan');
  await page.reload();
  await expect(page.locator('#holidays input[value="2027-11-19"]')).toHaveCount(1);
  await page.screenshot({ path: '../docs/screenshots/admin-holidays.png', fullPage: true });
  page.once('dialog', (dialog) => dialog.accept());
  await page.locator('#holidays tbody tr', { has: page.locator('input[value="2027-11-19"]') }).locator('button', { hasText: 'Hapus' }).click();
  await expect(page.locator('#holidays tr.decided')).toContainText('Dihapus');
});

test('an institution admin changes the discipline table and returns to a preset', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  await signIn(page, 'Admin instansi');
  await page.goto('/admin/potongan');
  await expect(page.locator('#discipline-in-force')).toContainText('Kementerian Pertanian');
  await page.fill('input[name=late_to_1]', '15');
  await page.fill('input[name=late_pct_3]', 'satu');
  await page.fill('input[name=cap_pct]', '150');
  await page.click('#discipline-form button[type=submit]');
  await expect(page.locator('input[name=late_pct_3]')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('input[name=cap_pct]')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#discipline-form .field-error').first()).toBeVisible();
  await page.fill('input[name=late_pct_3]', '1,75');
  await page.fill('input[name=cap_pct]', '100');
  await page.click('#discipline-form button[type=submit]');
  await expect(page.locator('#discipline-in-force')).toContainText('Tabel instansi sendiri');
  // The next window starts right after the changed one.
  await expect(page.locator('#late-bands tbody tr').nth(1)).toContainText('16 –');
  await expect(page.locator('input[name=late_pct_3]')).toHaveValue('1,75');
  await page.screenshot({ path: '../docs/screenshots/admin-discipline.png', fullPage: true });
  page.once('dialog', (dialog) => dialog.accept());
  await page.click('#use-kementan');
  await expect(page.locator('#discipline-in-force')).toContainText('Kementerian Pertanian');
  await expect(page.locator('input[name=late_to_1]')).toHaveValue('30');
});

test('an institution admin renames the institution and moves its zone, and the pages read time in it', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  await signIn(page, 'Admin instansi');
  await page.goto('/admin/instansi');
  const name = page.locator('#institution-form input[name=name]');
  const before = await name.inputValue();
  await name.fill('');
  await page.click('#institution-form button[type=submit]');
  await expect(page.locator('#institution-form input[name=name]')).toHaveAttribute('aria-invalid', 'true');
  await name.fill(`${before} (uji)`);
  await page.selectOption('#institution-form select[name=time_zone]', 'Asia/Makassar');
  await page.click('#institution-form button[type=submit]');
  await expect(page.locator('#institution-result')).toContainText('Tersimpan');
  await page.screenshot({ path: '../docs/screenshots/admin-institution.png', fullPage: true });
  await page.goto('/app/akun');
  await expect(page.locator('body')).toContainText('WITA');
  // Back as it was, for the tests that follow.
  await page.goto('/admin/instansi');
  await expect(page.locator('#institution-form select[name=time_zone]')).toHaveValue('Asia/Makassar');
  await name.fill(before);
  await page.selectOption('#institution-form select[name=time_zone]', 'Asia/Jakarta');
  await page.click('#institution-form button[type=submit]');
  await expect(page.locator('#institution-result')).toContainText('Tersimpan');
});

test('today\'s board opens on a unit\'s people and on to one person\'s month', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  await signIn(page, 'Admin instansi');
  await page.goto('/admin');
  await page.click('#today-units tbody tr a >> nth=0');
  await expect(page).toHaveURL(/\/admin\/hari-ini\?unit=/);
  await expect(page.locator('#today-people tbody tr').first()).toBeVisible();
  await page.screenshot({ path: '../docs/screenshots/admin-today-unit.png', fullPage: true });
  const person = page.locator('#today-people tbody a').first();
  const name = await person.textContent();
  await person.click();
  await expect(page).toHaveURL(/\/admin\/orang\/[^/]+\/bulan$/);
  await expect(page.locator('#month-of')).toHaveText(name);
  await expect(page.locator('#month-totals')).toBeVisible();
});
