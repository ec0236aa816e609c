// Hadir's pages in Debian's Chromium against the real `hadir` binary with the demo institution.
// E2E_BIN names the binary (.ci/run passes the one it built); the server gets a fresh data
// folder each run. Chromium's fake camera stands in for the phone's; locations are emulated.
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.E2E_BIN ?? `${process.env.HOME}/.cache/hadir-target/debug/hadir`;
const data = process.env.E2E_DATA ?? mkdtempSync(join(tmpdir(), 'hadir-e2e-'));
process.env.E2E_DATA = data;
const port = process.env.E2E_PORT ?? '18080';
export const base = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  // One server, one database: tests that share people run one after the other.
  workers: 1,
  // Generous: CI shares a 2-core machine with other work, and a test signs in several times.
  timeout: 120_000,
  reporter: [['list'], ['./summary.mjs']],
  use: {
    baseURL: base,
    viewport: { width: 360, height: 800 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    permissions: ['camera', 'geolocation'],
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      ],
    },
  },
  webServer: {
    command: `sh -c '"${bin}" demo --data-dir "${data}" > "${data}/demo.txt" && exec "${bin}" serve --data-dir "${data}" --listen 127.0.0.1:${port}'`,
    url: `${base}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    // Map tiles from an address no network serves: the tests answer for it (page.route).
    env: { HADIR_LOG: 'warn', HADIR_MAP_TILES: 'https://tiles.hadir.test/{z}/{x}/{y}.png' },
  },
});
