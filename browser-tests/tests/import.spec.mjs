// An administrator imports people from a CSV file: the dry run reports each problem by row and
// field and writes nothing; a clean file is imported whole.
import { test, expect } from '@playwright/test';
import { login, signIn } from './demo.mjs';

const file = (text) => ({ name: 'pegawai.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });

test('a CSV with errors gets a dry-run report; the corrected file is imported whole', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 800 });
  await signIn(page, 'Admin OPD');
  await page.goto('/admin/impor');
  const header = 'employee_number,employment_type,full_name,unit_code,email';
  const good = [
    '199203152019032917,asn,Rina Wulandari,SETDA.1,',
    '199104202020121003,asn,Budi Santoso,SETDA.2,budi.santoso@example.go.id',
  ];
  const bad = [
    '123,asn,Nama Salah,SETDA.1,',
    '199203152019032918,asn,Unit Salah,NOPE,',
    `${login('Pegawai')},asn,Orang Ganda,SETDA.1,`,
    'X1,honorer,Jenis Salah,SETDA.1,',
  ];
  await page.setInputFiles('input[name=file]', file([header, ...good, ...bad].join('\n')));
  await page.click('#import-check');
  const problems = page.locator('#import-problems tbody tr');
  await expect(problems).toHaveCount(4);
  await expect(page.locator('#import-report')).toContainText('Masalah ditemukan: 4');
  const cells = await problems.evaluateAll((rows) => rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent]));
  expect(cells).toEqual([['4', 'employee_number'], ['5', 'unit_code'], ['6', 'employee_number'], ['7', 'employment_type']]);
  await page.screenshot({ path: '../docs/screenshots/admin-import.png', fullPage: true });

  // Importing the same file writes nothing either.
  await page.click('#import-run');
  await expect(page.locator('#import-report')).toContainText('tidak ada yang disimpan');
  const search = await page.request.get('/api/v1/people?q=Rina%20Wulandari');
  expect((await search.json()).total).toBe(0);

  await page.setInputFiles('input[name=file]', file([header, ...good].join('\n')));
  await page.click('#import-check');
  await expect(page.locator('#import-report')).toContainText('Berkas bersih');
  await page.click('#import-run');
  await expect(page.locator('#import-report')).toContainText('Berhasil diimpor: 2');
  const found = await (await page.request.get('/api/v1/people?q=Rina%20Wulandari')).json();
  expect(found.items.map((p) => p.employee_number)).toEqual(['199203152019032917']);
});
