// The employee app and the admin console end to end: a phone is registered with a live selfie
// and approved, check-ins inside and outside the fence and by the kiosk's QR code, an offline
// check-out synced once, a session that ends with a check-in still queued, and the recap
// downloaded as CSV, XLSX and PDF and opened.
import { chromium, test, expect } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { elsewhere, login, nameOf, office, registerThisPhone, serveTiles, signIn } from './demo.mjs';

const shots = '../docs/screenshots';
test.describe.configure({ mode: 'serial' });

/** @type {Record<string, import('@playwright/test').Page>} */
const pages = {};

test.beforeAll(async ({ browser }) => {
  for (const who of ['Pegawai', 'Kepala bidang (atasan)', 'Admin OPD']) {
    const context = await browser.newContext({ geolocation: office, permissions: ['camera', 'geolocation'] });
    await serveTiles(context);
    pages[who] = await context.newPage();
  }
});

test.afterAll(async () => {
  for (const page of Object.values(pages)) await page.context().close();
});

/** The signed-in person's check-ins today, from the API (the page's session cookie). */
async function checkinsToday(page) {
  const me = await (await page.request.get('/api/v1/me')).json();
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Jakarta' });
  const res = await page.request.get(`/api/v1/people/${me.person.id}/checkins?from=${today}&to=${today}`);
  return res.json();
}

/** The device id a page's browser keeps (read from its storage: the page may be reloading). */
async function deviceIdOf(page) {
  const { origins } = await page.context().storageState();
  return origins.flatMap((o) => o.localStorage).find((e) => e.name === 'hadir_device_id').value;
}

/**
 * Waits out the reload the page makes 1.5 s after a queued attempt was answered (to show today's
 * events from the server): a navigation started meanwhile would be aborted by it.
 */
async function reloadAfterAnswer(page) {
  await expect(page.locator('#synced li')).toHaveCount(0);
  await page.waitForLoadState('load');
}

/** Opens the check-in page and waits until the location and the camera are there. */
async function openCheckin(page, where = 'di dalam area') {
  await page.goto('/app');
  await expect(page.locator('#location')).toContainText(where);
  await expect.poll(() => page.locator('#camera').evaluate((v) => v.videoWidth)).toBeGreaterThan(0);
}

test('each employee registers this phone with a live selfie and the unit admin approves it', async () => {
  for (const who of ['Pegawai', 'Kepala bidang (atasan)']) {
    const page = pages[who];
    await signIn(page, who);
    await expect(page.locator('#device-warning')).toBeVisible();
    await page.click('#device-warning a');
    await expect(page.locator('#device-id')).toHaveText(/^web-/);
    await expect.poll(() => page.locator('#camera').evaluate((v) => v.videoWidth)).toBeGreaterThan(0);
    if (who === 'Pegawai') await page.screenshot({ path: `${shots}/device.png` });
    await registerThisPhone(page);
  }

  const admin = pages['Admin OPD'];
  await signIn(admin, 'Admin OPD');
  await admin.goto('/admin/perangkat');
  const rows = admin.locator('#pending-devices tbody tr');
  await expect(rows).toHaveCount(2);
  await admin.setViewportSize({ width: 1100, height: 700 });
  await admin.screenshot({ path: `${shots}/admin-devices.png` });
  for (let decided = 1; decided <= 2; decided += 1) {
    await admin.locator('#pending-devices tbody tr:not(.decided)').first().getByRole('button', { name: 'Setujui' }).click();
    await expect(admin.locator('#pending-devices tr.decided')).toHaveCount(decided);
  }
  await expect(admin.locator('#pending-devices tr.decided')).toHaveCount(2);
  await expect(admin.locator('#pending-devices tr.decided').first()).toHaveText('Disetujui');
});

test('a check-in inside the fence is accepted and today shows the status', async () => {
  const page = pages.Pegawai;
  await openCheckin(page, 'di dalam area (Kantor Gubernur Bengkulu)');
  await expect(page.locator('#device-warning')).toBeHidden();
  await page.screenshot({ path: `${shots}/home.png` });
  await page.click('#check-in');
  await expect(page.locator('#result')).toHaveText('Diterima');
  await page.waitForURL('**/app', { waitUntil: 'load' });
  await expect(page.locator('#today-events')).toContainText('Masuk · Diterima');
  await expect(page.locator('#today-status')).toContainText(/Hadir|Hari libur/);
  const events = await checkinsToday(page);
  expect(events.map((e) => [e.kind, e.outcome])).toEqual([['in', 'accepted']]);
});

test('a check-in outside the fence waits for review and the unit admin decides it', async () => {
  const page = pages['Kepala bidang (atasan)'];
  await page.context().setGeolocation(elsewhere);
  await openCheckin(page, 'di luar area');
  await page.click('#check-in');
  await expect(page.locator('#result')).toHaveText('Menunggu tinjauan');

  const admin = pages['Admin OPD'];
  await admin.goto('/admin/tinjauan');
  const row = admin.locator('#review-queue tbody tr').first();
  await expect(row).toContainText('di luar area kantor');
  // The evidence: where the phone was, over the nearest office's fence.
  await expect(row.locator('td.evidence svg circle.marker')).toHaveCount(1);
  await expect(row.locator('td.evidence svg .fence')).toHaveCount(1);
  await admin.screenshot({ path: `${shots}/admin-reviews.png` });
  // A reason is required: the browser keeps the form until one is typed.
  await row.locator('input[name=reason]').fill('Rapat di kantor gubernur, dikonfirmasi kepala OPD');
  await row.getByRole('button', { name: 'Setujui' }).click();
  await expect(admin.locator('#review-queue tr.decided')).toHaveText('Disetujui.');
  const events = await checkinsToday(page);
  expect(events.map((e) => e.outcome)).toEqual(['accepted']);
});

test("a paired tablet shows the kiosk; an employee scans it, another types its code", async ({ browser }) => {
  const admin = pages['Admin OPD'];
  await admin.goto('/admin/kiosk');
  await admin.getByRole('link', { name: 'Kantor Gubernur Bengkulu' }).click();
  await admin.fill('#tablet-form input[name=name]', 'Tablet lobi');
  await admin.click('#tablet-form button[type=submit]');
  const code = (await admin.locator('#pairing-code').textContent()).trim();

  // The tablet pairs with the code and holds no administrator's session.
  const tablet = await (await browser.newContext({ viewport: { width: 800, height: 1000 } })).newPage();
  await tablet.goto('/kios');
  await tablet.fill('input[name=code]', 'ZZZZ-ZZZZ');
  await tablet.click('#pair-form button');
  await expect(tablet.locator('#pair-error')).toContainText('Kode pemasangan salah');
  await tablet.fill('input[name=code]', code.toLowerCase());
  await tablet.click('#pair-form button');
  await expect(tablet).toHaveURL(/\/kios\/layar$/);
  await expect(tablet.locator('#qr svg')).toBeVisible();
  await expect(tablet.locator('#typed-code')).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  expect((await tablet.request.get('/api/v1/me')).status()).toBe(401);
  await tablet.screenshot({ path: `${shots}/kiosk.png` });
  // The picture the phone's camera gets is taken at a phone's size, as the scan was tested with.
  await tablet.setViewportSize({ width: 360, height: 800 });

  // The phone's camera sees the kiosk: Chromium plays a picture of the code as its camera.
  const video = join(mkdtempSync(join(tmpdir(), 'hadir-qr-')), 'kiosk.mjpeg');
  // Chromium plays a motion-JPEG file of even width and height (I420 frames).
  const box = await tablet.locator('#qr svg').boundingBox();
  const even = (n) => 2 * Math.floor(n / 2);
  const clip = { x: Math.floor(box.x), y: Math.floor(box.y), width: even(box.width), height: even(box.height) };
  await tablet.screenshot({ path: video, type: 'jpeg', quality: 95, clip });

  const { launchOptions, baseURL } = test.info().project.use;
  const who = 'Kepala bidang (atasan)';
  const deviceId = await deviceIdOf(pages[who]);
  const phone = await chromium.launch({
    ...launchOptions,
    args: [...launchOptions.args, `--use-file-for-fake-video-capture=${video}`],
  });
  try {
    // Where the phone was at its last check-in: a jump from there would be impossible travel.
    const context = await phone.newContext({ baseURL, geolocation: elsewhere, permissions: ['camera', 'geolocation'] });
    await context.addInitScript((id) => localStorage.setItem('hadir_device_id', id), deviceId);
    const page = await context.newPage();
    await signIn(page, who);
    await page.selectOption('#mode', 'qr');
    await page.click('#check-out');
    await expect(page.locator('#result')).toHaveText('Diterima', { timeout: 20_000 });
    const outs = (await checkinsToday(page)).filter((e) => e.kind === 'out');
    expect(outs.map((e) => [e.mode, e.outcome])).toEqual([['qr', 'accepted']]);
  } finally {
    await phone.close();
  }

  // Someone whose camera is refused is told why, offered the kiosk, and types its code.
  const employee = 'Pegawai';
  const employeeDevice = await deviceIdOf(pages[employee]);
  const blocked = await browser.newContext({ geolocation: office, permissions: ['geolocation'] });
  await blocked.addInitScript((id) => {
    localStorage.setItem('hadir_device_id', id);
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));
  }, employeeDevice);
  const page = await blocked.newPage();
  await signIn(page, employee);
  await expect(page.locator('#camera-error')).toBeVisible();
  await page.click('#camera-error .use-kiosk');
  await expect(page.locator('#mode')).toHaveValue('qr');
  await expect(page.locator('#typed-fallback')).toBeVisible();
  await page.click('#check-out');
  await expect(page.locator('#result')).toContainText('Ketik kode');
  await page.fill('#typed-code', (await tablet.locator('#typed-code').textContent()).trim().replace('-', ' '));
  await page.click('#check-out');
  await expect(page.locator('#synced li').first()).toContainText('Diterima', { timeout: 20_000 });
  await blocked.close();

  // Revoked, the tablet goes back to the pairing form at its next fetch.
  await admin.reload();
  const row = admin.locator('#tablets tbody tr', { hasText: 'Tablet lobi' });
  await expect(row).toContainText('Terpasang');
  admin.once('dialog', (dialog) => dialog.accept());
  await row.getByRole('button', { name: 'Cabut' }).click();
  await expect(admin.locator('#tablets tr.decided')).toContainText('Dicabut');
  await expect(tablet).toHaveURL(/\/kios$/, { timeout: 15_000 });
  await tablet.context().close();
});

test('an offline check-out waits in the queue and is sent exactly once when back online', async () => {
  const page = pages.Pegawai;
  await openCheckin(page);
  await page.context().setOffline(true);
  await page.click('#check-out');
  await expect(page.locator('#result')).toHaveText('Tersimpan di perangkat: akan dikirim saat daring.');
  await expect(page.locator('#queue-count')).toHaveText('Menunggu dikirim: 1');
  // The page still opens with no network (service worker), and the queue is still there.
  await page.reload();
  await expect(page.locator('#queue-count')).toHaveText('Menunggu dikirim: 1');
  await page.context().setOffline(false);
  await syncNow(page);
  await expect(page.locator('#synced')).toContainText('Diterima');
  await reloadAfterAnswer(page);
  await expect(page.locator('#queue-count')).toHaveText('Tidak ada presensi yang menunggu.');
  // Exactly one offline check-out (beside the one sent by typing the kiosk's code).
  const events = await checkinsToday(page);
  const outs = events.filter((e) => e.kind === 'out' && e.offline);
  expect(outs.length).toBe(1);
});

test('a session that ends keeps the queued check-in and sends it after signing in again', async () => {
  const page = pages.Pegawai;
  await openCheckin(page);
  await page.context().setOffline(true);
  await page.click('#check-out');
  await expect(page.locator('#queue-count')).toHaveText('Menunggu dikirim: 1');
  await page.context().clearCookies();
  await page.context().setOffline(false);
  await syncNow(page);
  await expect(page).toHaveURL(/\/masuk$/);
  await expect(page.locator('#queued-note')).toBeVisible();
  await signIn(page, 'Pegawai');
  await expect(page.locator('#queue-count')).toHaveText('Tidak ada presensi yang menunggu.');
  await expect(page.locator('#synced li')).toHaveCount(1);
  await reloadAfterAnswer(page);
  const outs = (await checkinsToday(page)).filter((e) => e.kind === 'out' && e.offline);
  expect(outs.length).toBe(2);
});

test('the history shows the month and the admin downloads the recap as CSV, XLSX and PDF', async () => {
  const page = pages.Pegawai;
  await page.goto('/app/riwayat');
  await expect(page.locator('#month-totals')).toContainText('Potongan TPP');
  await expect(page.locator('#month-events img').first()).toBeVisible();
  await page.screenshot({ path: `${shots}/history.png`, fullPage: true });

  const admin = pages['Admin OPD'];
  // The dashboard: today by unit; the employee checked in, so their unit has someone in.
  await admin.goto('/admin');
  const units = admin.locator('#today-units tbody tr');
  await expect(units.first()).toBeVisible();
  const present = await admin.locator('#today-totals dd').evaluateAll((dd) => Number(dd[0].textContent) + Number(dd[1].textContent));
  expect(present).toBeGreaterThanOrEqual(2);
  await expect(admin.locator('#today-units svg rect').first()).toBeVisible();
  await admin.screenshot({ path: `${shots}/admin-today.png`, fullPage: true });

  await admin.goto('/admin/rekap');
  await expect(admin.locator('#recap')).toContainText(login('Pegawai'));
  await admin.screenshot({ path: `${shots}/admin-recap.png` });
  const nip = login('Pegawai');

  const csv = (await downloaded(admin, '#download-csv')).toString('utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toContain('employee_number');
  expect(lines.find((l) => l.includes(nip))).toBeTruthy();

  // The workbook opens; the employee's row has their NIP as text and a present day as a number.
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await downloaded(admin, '#download-xlsx'));
  const sheet = workbook.getWorksheet('Rekap');
  expect(sheet.getCell('A1').value).toBe('Pemerintah Provinsi Bengkulu');
  let row = null;
  sheet.eachRow((r) => { if (r.getCell(1).value === nip) row = r; });
  expect(row).not.toBeNull();
  expect(row.getCell(4).value).toBe(1);

  // The PDF opens; its text has the institution, the period, the NIP and a page number.
  const pdf = await getDocument({ data: new Uint8Array(await downloaded(admin, '#download-pdf')) }).promise;
  const text = async (n) => (await (await pdf.getPage(n)).getTextContent()).items.map((i) => i.str).join(' ');
  const page1 = await text(1);
  expect(page1).toContain('Pemerintah Provinsi Bengkulu');
  expect(page1).toContain('Rekap presensi bulanan');
  expect(page1).toMatch(/Halaman\s*1\s*\/\s*\d+/);
  // Rows are sorted by name: the employee's may be on any page.
  const all = await Promise.all(Array.from({ length: pdf.numPages }, (_, i) => text(i + 1)));
  expect(all.join(' ')).toContain(nip);
});

/**
 * Presses Sync. Back online the page also syncs by itself and then hides the button, so it is
 * pressed from the page's side, and a navigation it already started is no failure; a second sync
 * finds the queue empty or busy and sends nothing twice.
 */
async function syncNow(page) {
  await page.evaluate(() => document.getElementById('sync')?.click()).catch(() => {});
}

/** Clicks a download link and returns the file's bytes. */
async function downloaded(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const chunks = await (await download.createReadStream()).toArray();
  return Buffer.concat(chunks);
}

/** Monday of the week after next, and the Friday after it (ISO dates): working days whatever today is. */
function nextWeeks() {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 14 - ((day.getUTCDay() + 6) % 7));
  const iso = (d) => d.toISOString().slice(0, 10);
  const friday = new Date(day);
  friday.setUTCDate(day.getUTCDate() + 11);
  return [iso(day), iso(friday)];
}

test('an employee requests leave, a refused request keeps what was typed, and the unit admin approves', async () => {
  const page = pages.Pegawai;
  await page.goto('/app/cuti');
  await expect(page.locator('#leave-balance')).toContainText('Sisa');
  const [from, until] = nextWeeks();
  await page.selectOption('select[name=kind]', 'sick_leave');
  await page.fill('input[name=start_date]', from);
  await page.fill('input[name=end_date]', until);
  await page.fill('input[name=reason]', 'Keperluan keluarga di Curup');
  await page.click('#leave-form button[type=submit]');
  await expect(page.locator('#page-error')).toContainText('surat keterangan dokter');
  await expect(page.locator('input[name=reason]')).toHaveValue('Keperluan keluarga di Curup');

  await page.selectOption('select[name=kind]', 'permission');
  await page.click('#leave-form button[type=submit]');
  await expect(page.locator('#my-leave')).toContainText('Izin');
  await expect(page.locator('#my-leave')).toContainText('Menunggu keputusan');
  await page.screenshot({ path: `${shots}/leave.png`, fullPage: true });

  // A supervisor sees the approval pages, not the administrators' ones.
  const supervisor = pages['Kepala bidang (atasan)'];
  await supervisor.goto('/app');
  await expect(supervisor.getByRole('link', { name: 'Persetujuan cuti' })).toBeVisible();
  await expect(supervisor.getByRole('link', { name: 'Rekap bulanan' })).toHaveCount(0);
  expect((await supervisor.request.get('/admin/rekap')).status()).toBe(403);

  const admin = pages['Admin OPD'];
  await admin.goto('/admin/cuti');
  const row = admin.locator('#pending-leave tbody tr', { hasText: nameOf('Pegawai') });
  await expect(row).toContainText('Izin');
  await row.getByRole('button', { name: 'Tolak' }).click();
  await expect(admin.locator('#page-error')).toContainText('Alasan penolakan wajib diisi');
  await row.getByRole('button', { name: 'Setujui' }).click();
  await expect(admin.locator('#pending-leave tr.decided')).toHaveText('Disetujui');
  await page.reload();
  await expect(page.locator('#my-leave')).toContainText('Disetujui');
});

test('my privacy shows who read my data, takes consent decisions and files a request', async () => {
  const page = pages.Pegawai;
  await page.goto('/app/privasi');
  // The unit admin saw this person's registration selfie and check-in photo.
  await expect(page.locator('#access-log')).toContainText(nameOf('Admin OPD'));
  await expect(page.locator('#access-log')).toContainText('Swafoto perangkat');

  const row = page.locator('#purposes tbody tr', { hasText: 'Pengumuman lewat e-mail' });
  await row.getByRole('button', { name: 'Beri persetujuan' }).click();
  await expect(page.locator('#purposes tbody tr', { hasText: 'Pengumuman lewat e-mail' })).toContainText('Diberikan');
  await page.locator('#purposes tbody tr', { hasText: 'Pengumuman lewat e-mail' }).getByRole('button', { name: 'Tarik' }).click();
  await expect(page.locator('#purposes tbody tr', { hasText: 'Pengumuman lewat e-mail' })).toContainText('Ditarik');
  await expect(page.locator('#purposes tbody tr', { hasText: 'Presensi' }).first()).toContainText('Tidak memerlukan persetujuan');

  await page.selectOption('select[name=kind]', 'access');
  await page.fill('input[name=detail]', 'Salinan semua data presensi saya');
  await page.click('#request-form button[type=submit]');
  await expect(page.locator('#my-requests')).toContainText('Akses dan salinan data');
  // Received, or already being answered: the server's worker may have made the copy by now.
  await expect(page.locator('#my-requests')).toContainText(/Diterima|Diproses/);
  await page.screenshot({ path: `${shots}/privacy.png`, fullPage: true });
});

test('my account shows the biodata and ends another session', async () => {
  const page = pages.Pegawai;
  await page.click('header .who');
  await expect(page).toHaveURL(/\/app\/akun$/);
  await expect(page.locator('#biodata')).toContainText(login('Pegawai'));
  // Signed in twice in this test run (the session cleared earlier is still live on the server).
  const rows = page.locator('#sessions tbody tr');
  const before = await rows.count();
  expect(before).toBeGreaterThanOrEqual(2);
  await page.locator('#sessions tbody tr', { hasNotText: 'Sesi ini' }).first().getByRole('button', { name: 'Akhiri' }).click();
  await expect(page.locator('#sessions tr.decided')).toHaveText('Sesi diakhiri.');
  await page.reload();
  await expect(rows).toHaveCount(before - 1);
  await page.screenshot({ path: `${shots}/account.png`, fullPage: true });
});
