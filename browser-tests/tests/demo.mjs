// The demo institution the server was started with: its logins and password, read from what
// `hadir demo` printed, and helpers the tests share.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';

const printed = () => readFileSync(join(process.env.E2E_DATA, 'demo.txt'), 'utf8');

export function password() {
  return printed().match(/password of every demo account: (\S+)/)[1];
}

/** The NIP printed beside a label such as "Pegawai" or "Admin OPD". */
export function login(label) {
  const line = printed().split('\n').find((l) => l.startsWith(`  ${label} `));
  return line.trim().split(/\s+/).pop();
}

// The demo's first office (Sekretariat Daerah), its centre and a point well outside its fence.
export const office = { latitude: -3.8215, longitude: 102.287, accuracy: 8 };
export const elsewhere = { latitude: -3.8300, longitude: 102.300, accuracy: 8 };

/**
 * Signs in and lands on the app. At a person's first sign-in the notice in force asks for their
 * consent decisions first: they are refused (a decision too), and the app opens.
 */
export async function signIn(page, label) {
  await page.goto('/masuk');
  await page.fill('input[name=login]', login(label));
  await page.fill('input[name=password]', password());
  await page.click('button[type=submit].primary');
  await expect(page).toHaveURL(/\/app(\/privasi)?$/);
  if (page.url().endsWith('/privasi')) await decideConsents(page);
  await expect(page).toHaveURL(/\/app$/);
}

/** On "my privacy" with decisions pending: refuses each one, then goes on to the app. */
export async function decideConsents(page) {
  const undecided = page.locator('#purposes tbody tr', { has: page.locator('strong.warn') });
  while (await undecided.count() > 0) {
    const before = await undecided.count();
    await undecided.first().locator('button[name=granted][value=false]').click();
    await expect(undecided).toHaveCount(before - 1);
  }
  await page.click('#continue');
}

export async function signOut(page) {
  await page.click('#sign-out');
  await expect(page).toHaveURL(/\/masuk$/);
}

/**
 * On the device page: registers this browser as the person's phone, then waits for the page to
 * reload itself and list it as pending — a navigation started before that reload can be
 * overtaken by it and land back on the device page.
 */
export async function registerThisPhone(page) {
  await page.click('#register');
  await expect(page.locator('#result')).toHaveText('Terdaftar. Menunggu persetujuan admin.');
  await expect(page.locator('#my-devices')).toContainText('Menunggu persetujuan');
}

/** The name printed beside a label. */
export function nameOf(label) {
  const line = printed().split('\n').find((l) => l.startsWith(`  ${label} `));
  return line.slice(2 + label.length).trim().split(/\s{2,}/)[0];
}

/** One grey pixel, stretched over each 256-pixel map tile: the tests answer for the tile server. */
export const greyTile = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN48uIRAAViAq8jdeqYAAAAAElFTkSuQmCC', 'base64');

/** Answers map tile requests of a browser context with the grey tile. */
export async function serveTiles(context, fetched = []) {
  await context.route('https://tiles.hadir.test/**', (route) => {
    fetched.push(route.request().url());
    return route.fulfill({ contentType: 'image/png', body: greyTile });
  });
}
