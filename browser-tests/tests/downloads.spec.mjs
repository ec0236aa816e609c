// Work that takes longer than a page should wait: a recap prepared in the background and a large
// CSV checked in the background, each showing its progress in place until the file (or the
// report) is ready; and the list of one's downloads.
import { test, expect } from '@playwright/test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { signIn } from './demo.mjs';

test('an admin prepares the recap PDF in the background and downloads it when ready', async ({ page }) => {
  // The PDF is typeset by a debug build; on a throttled CI machine that took more than 30 s.
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1100, height: 900 });
  await signIn(page, 'Admin instansi');
  await page.goto('/admin/rekap');
  await page.selectOption('#export-form select[name=format]', 'pdf');
  await page.click('#export-form button[type=submit]');
  const ready = page.locator('#export-progress a.button');
  await expect(ready).toContainText(/rekap-\d{4}-\d{2}\.pdf/, { timeout: 120_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), ready.click()]);
  const bytes = Buffer.concat(await (await download.createReadStream()).toArray());
  const pdf = await getDocument({ data: new Uint8Array(bytes) }).promise;
  const text = (await (await pdf.getPage(1)).getTextContent()).items.map((i) => i.str).join(' ');
  expect(text).toContain('Pemerintah Provinsi Bengkulu');
  expect(text).toContain('Semua unit');

  await page.goto('/admin/unduhan');
  const row = page.locator('#downloads tbody tr').first();
  await expect(row).toContainText('Rekap bulanan');
  await expect(row).toContainText('Siap');
  await page.screenshot({ path: '../docs/screenshots/admin-downloads.png', fullPage: true });
});

test('the recap page adds up each unit and shows a whole institution a hundred people at a time', async ({ page }) => {
  await signIn(page, 'Admin instansi');
  await page.goto('/admin/rekap');
  const rows = page.locator('#recap tbody tr');
  await expect(rows).toHaveCount(100);
  const total = Number((await page.locator('#recap-total').textContent()).replace(/\D/g, ''));
  expect(total).toBeGreaterThan(100);
  // The table by unit counts everyone, on every page.
  const perUnit = await page.locator('#recap-units tbody tr td:nth-child(2)').allTextContents();
  expect(perUnit.length).toBeGreaterThan(1);
  expect(perUnit.reduce((sum, n) => sum + Number(n), 0)).toBe(total);
  const unitsCsv = await (await page.request.get(await page.locator('#download-units-csv').getAttribute('href'))).text();
  expect(unitsCsv.trim().split(/\r?\n/).length).toBe(perUnit.length + 1);
  // Rolled up to the OPDs: fewer lines, the same people.
  await page.selectOption('select[name=tingkat]', '1');
  await page.click('form[action="/admin/rekap"] button[type=submit]');
  await expect(page.locator('select[name=tingkat]')).toHaveValue('1');
  const perOpd = await page.locator('#recap-units tbody tr td:nth-child(2)').allTextContents();
  expect(perOpd.length).toBeLessThan(perUnit.length);
  expect(perOpd.reduce((sum, n) => sum + Number(n), 0)).toBe(total);
  await page.goto('/admin/rekap');
  const pages = Math.ceil(total / 100);
  await expect(page.locator('#recap-pages')).toContainText(`1 / ${pages}`);
  const first = await rows.first().textContent();
  await page.click('#recap-next');
  await expect(page.locator('#recap-pages')).toContainText(`2 / ${pages}`);
  expect(await rows.first().textContent()).not.toBe(first);
  // The downloads still carry everyone.
  const csv = await (await page.request.get(await page.locator('#download-csv').getAttribute('href'))).text();
  expect(csv.trim().split(/\r?\n/).length).toBe(total + 1);
});

test('a CSV of 700 rows is checked in the background with its progress, then reported', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  await signIn(page, 'Admin instansi');
  await page.goto('/admin/impor');
  // Valid NIPs: born 1 Jan 1990, in service from January 2015, men and women, numbered 001–350.
  const rows = ['employee_number,employment_type,full_name,unit_code'];
  for (let n = 0; n < 700; n += 1) {
    rows.push(`19900101201501${n < 350 ? 1 : 2}${String((n % 350) + 1).padStart(3, '0')},asn,Pegawai Uji ${n},SETDA.1`);
  }
  rows.push('199001012015011001,asn,Nomor Ganda,SETDA.1');
  await page.setInputFiles('input[name=file]', { name: 'besar.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await page.click('#import-check');
  // The progress line shows first, then the report takes its place.
  await expect(page.locator('#import-result .download, #import-result #import-report').first()).toBeVisible();
  await expect(page.locator('#import-report')).toContainText('Masalah ditemukan: 1', { timeout: 60_000 });
  await expect(page.locator('#import-report')).toContainText('Baris data: 701');
  await expect(page.locator('#import-problems tbody tr')).toHaveCount(1);
  await expect(page.locator('#import-problems tbody tr td').first()).toHaveText('702');
  await page.goto('/admin/unduhan');
  await expect(page.locator('#downloads tbody tr', { hasText: 'Impor pegawai' })).toHaveCount(1);
});
