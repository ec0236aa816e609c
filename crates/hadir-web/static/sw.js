// The service worker: the app shell and the check-in page open with no network. Scripts and
// styles come from the cache and are refreshed in the background; the check-in page comes from
// the network when it can (a copy is kept for offline use and dropped at sign-out); the API is
// never cached.
const SHELL = 'hadir-shell-v1';
const PAGES = 'hadir-pages';
const FILES = [
  '/static/app.css',
  '/static/app.js',
  '/static/camera.js',
  '/static/checkin.js',
  '/static/device.js',
  '/static/queue.js',
  '/static/htmx-2.0.11.min.js',
  '/static/jsqr-1.4.0.js',
  '/static/icon.svg',
  '/static/icon-192.png',
  '/manifest.webmanifest',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== PAGES).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function shell(request) {
  const cache = await caches.open(SHELL);
  const cached = await cache.match(request);
  const fresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  return cached ?? fresh;
}

async function checkinPage(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) cache.put('/app', response.clone());
    return response;
  } catch {
    return (await cache.match('/app')) ?? new Response('Offline', { status: 503 });
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/static/') || url.pathname === '/manifest.webmanifest') {
    event.respondWith(shell(event.request));
  } else if (url.pathname === '/app' && event.request.mode === 'navigate') {
    event.respondWith(checkinPage(event.request));
  }
});
