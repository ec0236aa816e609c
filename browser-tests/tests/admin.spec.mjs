// The admin console's registers: the unit tree and people, added, found, changed, given a
// login and deactivated, with field-level errors that keep what was typed.
import { test, expect } from '@playwright/test';
import { nameOf, serveTiles, signIn } from './demo.mjs';

test('an institution admin adds a unit under another and renames it in place', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 800 });
  await signIn(page, 'Admin instansi');
  await page.goto('/admin/unit');
  await page.fill('#unit-form input[name=code]', 'SETDA 9');
  await page.fill('#unit-form input[name=name]', 'Bagian Protokol');
  await page.selectOption('#unit-form select[name=parent_id]', { label: 'SETDA · Sekretariat Daerah' });
  await page.click('#unit-form button[type=submit]');
  // The bad code is marked beside its input; what was typed stays.
  await expect(page.locator('#unit-form .field-error')).toContainText('Kode unit 1-30 karakter');
  await expect(page.locator('#unit-form input[name=name]')).toHaveValue('Bagian Protokol');

  await page.fill('#unit-form input[name=code]', 'SETDA.9');
  await page.click('#unit-form button[type=submit]');
  const row = page.locator('#units tbody tr', { has: page.locator('input[value="SETDA.9"]') });
  await expect(row).toHaveCount(1);
  await expect(row.locator('td').first()).toHaveClass(/indent-1/);
  await row.locator('input[name=name]').fill('Bagian Protokol dan Komunikasi');
  await row.locator('button').click();
  await expect(row.locator('.row-result')).toContainText('Tersimpan');
  await page.reload();
  await expect(page.locator('#units input[value="Bagian Protokol dan Komunikasi"]')).toHaveCount(1);

  // A unit with people stays open; the new, empty one closes and is shown as closed.
  const setda = page.locator('#units tbody tr', { has: page.locator('input[value="SETDA"]') });
  await setda.locator('select[name=active]').selectOption('false');
  await setda.locator('button').click();
  await expect(page.locator('#page-error')).toContainText('pegawai aktif');
  await expect(setda.locator('select[name=active]')).toHaveAttribute('aria-invalid', 'true');
  const protokol = page.locator('#units tbody tr', { has: page.locator('input[value="SETDA.9"]') });
  await protokol.locator('select[name=active]').selectOption('false');
  await protokol.locator('button').click();
  await expect(protokol.locator('.row-result')).toContainText('Tersimpan');
  await page.reload();
  await expect(page.locator('#units tbody tr.inactive', { has: page.locator('input[value="SETDA.9"]') })).toHaveCount(1);
  await expect(page.locator('#unit-form select[name=parent_id] option', { hasText: 'SETDA.9' })).toHaveCount(0);
  await page.screenshot({ path: '../docs/screenshots/admin-units.png', fullPage: true });
});

test('an admin adds a person, opens their login, finds them and deactivates them', async ({ page, browser }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  await signIn(page, 'Admin OPD');
  await page.goto('/admin/orang');
  await expect(page.locator('#people tbody tr').first()).toBeVisible();
  await page.click('#add-person');
  await page.fill('input[name=employee_number]', '1992031520190329');
  await page.fill('input[name=full_name]', 'Sari Puspitasari');
  await page.fill('input[name=position]', 'Analis Protokol');
  await page.selectOption('select[name=unit_id]', { label: 'SETDA.1 · Biro Umum' });
  await page.click('#person-form button[type=submit]');
  await expect(page.locator('#person-form .field-error')).toContainText('NIP');
  await expect(page.locator('input[name=full_name]')).toHaveValue('Sari Puspitasari');

  await page.fill('input[name=employee_number]', '199203152019032919');
  await page.fill('input[name=supervisor]', 'tidak-ada@example.go.id');
  await page.click('#person-form button[type=submit]');
  await expect(page.locator('#person-form .field-error')).toContainText('Atasan tidak ditemukan');
  await page.fill('input[name=supervisor]', '');
  await page.click('#person-form button[type=submit]');
  await expect(page.locator('#person-result')).toContainText('Tersimpan');
  await page.click('#open-person');
  await expect(page.locator('h1')).toHaveText('Sari Puspitasari');

  await page.fill('#login-form input[name=password]', 'Mulai-Kerja-2026');
  await page.click('#login-form button');
  await expect(page.locator('#login-result')).toContainText('Akun dibuat');
  const newcomer = await browser.newContext({ baseURL: page.context()._options.baseURL });
  const theirs = await newcomer.newPage();
  await theirs.goto('/masuk');
  await theirs.fill('input[name=login]', '199203152019032919');
  await theirs.fill('input[name=password]', 'Mulai-Kerja-2026');
  await theirs.click('button[type=submit].primary');
  await expect(theirs).toHaveURL(/\/app\/sandi$/);

  // Found by part of the name, then deactivated: the active list no longer has them.
  await page.goto('/admin/orang');
  await page.fill('#people-q', 'puspita');
  await expect(page.locator('#people tbody tr')).toHaveCount(1);
  await page.screenshot({ path: '../docs/screenshots/admin-people.png', fullPage: true });
  await page.click('#people tbody a');
  await page.selectOption('#person-form select[name=status]', 'inactive');
  await page.click('#person-form button[type=submit]');
  await expect(page.locator('#person-result')).toContainText('Tersimpan');
  await page.goto('/admin/orang');
  await page.fill('#people-q', 'puspita');
  await expect(page.locator('#people-total')).toContainText('0');
  await page.selectOption('#people-search select[name=status]', '');
  await expect(page.locator('#people tbody tr.inactive')).toHaveCount(1);
  await theirs.goto('/app');
  await expect(theirs).toHaveURL(/\/masuk$/);
  await newcomer.close();
  // Someone else's unit is out of a unit admin's reach: the search finds nobody there.
  await page.fill('#people-q', nameOf('Admin instansi'));
  await expect(page.locator('#people-total')).toContainText('0');
});

test('an employee proposes a WFH point from the phone and the unit admin approves it', async ({ browser }) => {
  const home = { latitude: -3.8350, longitude: 102.3000, accuracy: 12 };
  const context = await browser.newContext({ geolocation: home, permissions: ['geolocation'] });
  const page = await context.newPage();
  await signIn(page, 'Pegawai');
  await page.goto('/app/wfh');
  await page.click('#use-location');
  await expect(page.locator('input[name=lat]')).toHaveValue('-3.835000');
  await expect(page.locator('#wfh-location')).toContainText('12 m');
  await page.fill('input[name=address]', 'Jl. Merdeka No. 5');
  await page.click('#wfh-form button[type=submit]');
  // No weekday ticked: said beside the days, and the rest stays as typed.
  await expect(page.locator('#wfh-form .field-error')).toContainText('sedikitnya satu hari');
  await expect(page.locator('input[name=address]')).toHaveValue('Jl. Merdeka No. 5');
  await page.check('input[name=weekday][value=Fri]');
  await page.click('#wfh-form button[type=submit]');
  await expect(page.locator('#my-wfh tbody tr')).toHaveCount(1);
  await expect(page.locator('#my-wfh')).toContainText('Menunggu persetujuan');
  await context.close();

  const admin = await browser.newPage();
  await signIn(admin, 'Admin OPD');
  await admin.goto('/admin/wfh');
  const row = admin.locator('#pending-wfh tbody tr', { hasText: nameOf('Pegawai') });
  await expect(row).toContainText('Jumat');
  await expect(row.locator('.from-office')).toContainText(/\d+\.\d km dari /);
  await admin.screenshot({ path: '../docs/screenshots/admin-wfh.png', fullPage: true });
  await row.locator('button[value=approve]').click();
  await expect(admin.locator('#pending-wfh tr.decided')).toContainText('Disetujui');
  await admin.close();
});

test('an admin draws a polygon location, sees it over the configured tiles, then makes it a circle', async ({ page }) => {
  const fetched = [];
  await serveTiles(page.context(), fetched);
  await page.setViewportSize({ width: 1100, height: 900 });
  await signIn(page, 'Admin instansi');
  await page.goto('/admin/lokasi');
  await expect(page.locator('#locations tbody tr').first()).toBeVisible();
  await page.click('#add-location');
  await page.fill('input[name=name]', 'Gedung Arsip');
  await page.check('input[name=shape][value=polygon]');
  await expect(page.locator('input[name=lat]')).toBeHidden();
  await page.fill('textarea[name=points]', '-3.7900, 102.2600\n-3.7900, 102.2610\n-3.79x, 102.2610');
  await expect(page.locator('#fence-preview')).toContainText('angka');
  await page.fill('textarea[name=points]', '-3.7900, 102.2600\n-3.7900, 102.2610\n-3.7910, 102.2610\n-3.7910, 102.2600');
  await expect(page.locator('#fence-preview svg polygon.fence')).toHaveCount(1);
  await expect(page.locator('#fence-preview svg image').first()).toHaveAttribute('href', /^https:\/\/tiles\.hadir\.test\/\d+\/\d+\/\d+\.png$/);
  await expect.poll(() => fetched.length).toBeGreaterThan(0);
  await page.click('#location-form button[type=submit]');
  await expect(page).toHaveURL(/\/admin\/lokasi\/[^/]+$/);
  await expect(page.locator('h1')).toHaveText('Gedung Arsip');
  await expect(page.locator('textarea[name=points]')).toHaveValue(/-3\.791, 102\.261/);
  await page.screenshot({ path: '../docs/screenshots/admin-location.png', fullPage: true });

  // A circle with a negative radius is refused beside the preview; a good one is saved.
  await page.check('input[name=shape][value=circle]');
  await page.fill('input[name=lat]', '-3.7905');
  await page.fill('input[name=lon]', '102.2605');
  await page.fill('input[name=radius_m]', '-20');
  await page.click('#location-form button[type=submit]');
  await expect(page.locator('figure .field-error')).toHaveCount(1);
  await page.fill('input[name=radius_m]', '80');
  await expect(page.locator('#fence-preview svg circle.fence')).toHaveCount(1);
  await page.click('#location-form button[type=submit]');
  await expect(page.locator('#location-result')).toContainText('Tersimpan');
  await page.goto('/admin/lokasi');
  await expect(page.locator('#locations tr', { hasText: 'Gedung Arsip' })).toContainText('Lingkaran 80 m');
});
