// An institution that bases selfies on consent: a person who refuses it registers a phone with no
// camera and checks in without a photo, and the check-in waits for the supervisor. The register
// is put back afterwards, so later tests meet the demo as it was.
import { test, expect } from '@playwright/test';
import { nameOf, office, registerThisPhone, signIn } from './demo.mjs';

test('without consent to selfies a phone registers and a check-in goes without a photo, for the supervisor', async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, 'Admin instansi');
  const register = await admin.evaluate(async () => (await (await fetch('/api/v1/privacy-notice')).json()).purposes);
  const put = (body) => admin.evaluate(async (b) => {
    const response = await fetch('/api/v1/purposes', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(b),
    });
    return response.status;
  }, body);
  expect(await put(register.map((p) => (p.key === 'checkin_photo' ? { ...p, basis: 'consent' } : p)))).toBe(200);
  try {
    // A new phone (a fresh browser): the first page asks for the new consent, which is refused.
    const context = await browser.newContext({ geolocation: office });
    const page = await context.newPage();
    await signIn(page, 'Pegawai');
    await page.goto('/app/perangkat');
    await expect(page.locator('#no-selfie')).toBeVisible();
    await expect(page.locator('video')).toHaveCount(0);
    await registerThisPhone(page);

    const unitAdmin = await (await browser.newContext()).newPage();
    await signIn(unitAdmin, 'Admin OPD');
    await unitAdmin.goto('/admin/perangkat');
    const row = unitAdmin.locator('#pending-devices tbody tr', { hasText: nameOf('Pegawai') });
    await expect(row.locator('.no-selfie')).toBeVisible();
    await row.getByRole('button', { name: 'Setujui' }).click();
    await expect(row).toHaveCount(0);

    await page.goto('/app');
    await expect(page.locator('#no-photo')).toBeVisible();
    await expect(page.locator('#camera-box')).toBeHidden();
    await expect(page.locator('#typed-fallback')).toBeHidden();
    await expect(page.locator('#location')).toHaveClass('good');
    await page.click('#check-out');
    await expect(page.locator('#result')).toHaveText('Menunggu tinjauan');
    await page.screenshot({ path: '../docs/screenshots/checkin-without-selfie.png', fullPage: true });

    await unitAdmin.goto('/admin/tinjauan');
    await expect(unitAdmin.locator('tr', { hasText: nameOf('Pegawai') }).first()).toContainText('tanpa swafoto');
  } finally {
    expect(await put(register)).toBe(200);
  }
});
