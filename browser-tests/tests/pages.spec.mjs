// What every visitor meets: the sign-in form with its errors, the language toggle, the pages'
// security headers, and a clear word when the location is refused.
import { test, expect } from '@playwright/test';
import { decideConsents, login, password, signIn, signOut } from './demo.mjs';

test('a wrong password keeps what was typed and says why, in either language', async ({ page }) => {
  await page.goto('/masuk');
  await page.fill('input[name=login]', login('Pegawai'));
  await page.fill('input[name=password]', 'not-the-password');
  await page.click('button[type=submit].primary');
  await expect(page.locator('#login-error')).toBeVisible();
  await expect(page.locator('input[name=login]')).toHaveValue(login('Pegawai'));
  await expect(page.locator('input[name=password]')).toHaveValue('');
  await page.screenshot({ path: '../docs/screenshots/login.png' });
  await page.click('#language');
  await expect(page.locator('h1')).toHaveText('Sign in to Hadir');
  await page.fill('input[name=login]', login('Pegawai'));
  await page.fill('input[name=password]', password());
  await page.click('button[type=submit].primary');
  if (page.url().endsWith('/privasi')) await decideConsents(page);
  await expect(page.getByRole('button', { name: 'Check in' })).toBeVisible();
  await page.click('#language');
  await expect(page.getByRole('button', { name: 'Absen Masuk' })).toBeVisible();
  // Signing out ends the session: the app sends the browser back to the sign-in page.
  await signOut(page);
  await page.goto('/app');
  await expect(page).toHaveURL(/\/masuk$/);
});

test('a first sign-in asks for the consent decisions before the app opens', async ({ page }) => {
  await page.goto('/masuk');
  await page.fill('input[name=login]', login('Kepala OPD (atasan)'));
  await page.fill('input[name=password]', password());
  await page.click('button[type=submit].primary');
  await expect(page).toHaveURL(/\/app\/privasi$/);
  await expect(page.locator('#consent-pending')).toContainText('Putuskan dulu');
  await expect(page.locator('#notice')).toContainText('Pemberitahuan privasi versi 1');
  // Nothing else opens until then; the password page does.
  await page.goto('/app/riwayat');
  await expect(page).toHaveURL(/\/app\/privasi$/);
  await page.screenshot({ path: '../docs/screenshots/privacy-first-run.png', fullPage: true });
  const row = page.locator('#purposes tbody tr', { hasText: 'Pengumuman lewat e-mail' });
  await row.getByRole('button', { name: 'Beri persetujuan' }).click();
  await expect(page.locator('#purposes tbody tr', { hasText: 'Pengumuman lewat e-mail' })).toContainText('Diberikan');
  await expect(page.locator('#continue')).toHaveCount(0);
  await page.locator('#purposes tbody tr', { hasText: 'Pencocokan wajah' }).getByRole('button', { name: 'Tarik' }).click();
  await expect(page.locator('#consent-pending')).toHaveCount(0);
  await page.click('#continue');
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.locator('#check-in')).toBeVisible();
});

test('pages forbid inline scripts and offer the camera only to the employee app', async ({ page }) => {
  const signInPage = await page.request.get('/masuk');
  expect(signInPage.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(signInPage.headers()['permissions-policy']).toBe('camera=(), geolocation=()');
  await signIn(page, 'Pegawai');
  const app = await page.request.get('/app');
  expect(app.headers()['permissions-policy']).toBe('camera=(self), geolocation=(self)');
  expect(app.headers()['cache-control']).toBe('no-store');
  // A form post without the page's CSRF token is refused.
  const forged = await page.request.post('/app/sandi', { form: { old_password: 'x', new_password: 'y' } });
  expect(forged.status()).toBe(403);
});

test('a refused location is explained', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['camera'] });
  const page = await context.newPage();
  await signIn(page, 'Kepala OPD (atasan)');
  await expect(page.locator('#location-error')).toBeVisible();
  await expect(page.locator('#location-error')).toContainText('Izinkan lokasi');
  await context.close();
});
