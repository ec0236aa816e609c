// The check-in page: the selfie camera, the location with whether it is inside a work site's
// fence, and the attempts — each saved in the offline queue first, then sent; what could not be
// sent waits for the Sync button or the network to come back. The server decides; the fence
// shown here is only a hint. Without consent to selfies, the camera opens only to scan the
// kiosk's code, and a check-in goes without a photo for the supervisor to confirm.
import { deviceId } from './app.js';
import * as camera from './camera.js';
import * as queue from './queue.js';

const setup = JSON.parse(document.getElementById('checkin-setup').textContent);
const text = document.getElementById('texts').dataset;
const video = document.getElementById('camera');
const result = document.getElementById('result');
const locationLine = document.getElementById('location');
let position = null;

const approved = setup.devices.some(([id, status]) => id === deviceId() && status === 'approved');
document.getElementById('device-warning').hidden = approved;

const modeSelect = document.getElementById('mode');
const typedFallback = document.getElementById('typed-fallback');
const typedCode = document.getElementById('typed-code');
let cameraReady;
// Without a camera, the kiosk's code is typed instead of scanned.
function showTypedFallback() {
  cameraReady.then((ok) => { typedFallback.hidden = ok || modeSelect.value !== 'qr'; });
}
function startCamera() {
  const noSelfie = !setup.photos && modeSelect.value !== 'qr';
  document.getElementById('camera-box').hidden = noSelfie;
  if (noSelfie) {
    camera.stop(video);
    cameraReady = Promise.resolve(false);
    document.getElementById('camera-error').hidden = true;
    showTypedFallback();
    return;
  }
  // The kiosk's code is scanned with the back camera; selfies with the front one.
  cameraReady = camera.start(video, modeSelect.value === 'qr' ? 'environment' : 'user').then((ok) => {
    document.getElementById('camera-error').hidden = ok;
    return ok;
  });
  showTypedFallback();
}
startCamera();
modeSelect.addEventListener('change', startCamera);
// Location or camera refused: the kiosk at the entrance proves presence instead.
for (const button of document.querySelectorAll('.use-kiosk')) {
  button.addEventListener('click', () => {
    modeSelect.value = 'qr';
    startCamera();
  });
}

// Metres between two points (haversine).
function distance(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

function inside(fence, p) {
  if (fence.shape === 'circle') return distance(fence.center, p) <= fence.radius_m;
  let within = false;
  const pts = fence.points;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const crosses = (pts[i].lat > p.lat) !== (pts[j].lat > p.lat)
      && p.lon < ((pts[j].lon - pts[i].lon) * (p.lat - pts[i].lat)) / (pts[j].lat - pts[i].lat) + pts[i].lon;
    if (crosses) within = !within;
  }
  return within;
}

function showPosition() {
  const { lat, lon, accuracy_m } = position;
  const site = setup.sites.find((s) => inside(s.geofence, position));
  const where = site ? `${text.inside} (${site.name})` : text.outside;
  locationLine.textContent = `${lat.toFixed(5)}, ${lon.toFixed(5)} · ${text.accuracy} ${Math.round(accuracy_m)} m · ${where}`;
  locationLine.className = site ? 'good' : 'bad';
}

if ('geolocation' in navigator) {
  navigator.geolocation.watchPosition(
    (p) => {
      position = { lat: p.coords.latitude, lon: p.coords.longitude, accuracy_m: p.coords.accuracy };
      document.getElementById('location-error').hidden = true;
      showPosition();
    },
    () => { document.getElementById('location-error').hidden = false; },
    { enableHighAccuracy: true, maximumAge: 10000, timeout: 20000 },
  );
} else {
  document.getElementById('location-error').hidden = false;
}

async function refreshCount() {
  const n = await queue.count();
  const label = document.getElementById('queue-count');
  label.textContent = n === 0 ? label.dataset.zero : `${label.dataset.some} ${n}`;
  document.getElementById('sync').hidden = n === 0;
}

function report(attempt, message, good) {
  const li = document.createElement('li');
  const time = new Date(attempt.made_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  li.textContent = `${time} · ${message}`;
  li.className = good ? 'good' : 'bad';
  document.getElementById('synced').prepend(li);
  result.textContent = message;
}

// Sends one queued attempt. Returns 'answered' (removed from the queue), or 'offline' /
// 'signed-out' / 'later' (kept for the next sync).
async function send(attempt) {
  const metadata = {
    attempt_id: attempt.attempt_id,
    kind: attempt.kind,
    mode: attempt.mode,
    device_id: attempt.device_id,
    lat: attempt.lat,
    lon: attempt.lon,
    accuracy_m: attempt.accuracy_m,
    device_time: new Date().toISOString(),
  };
  if (attempt.qr_token) metadata.qr_token = attempt.qr_token;
  if (attempt.offline) metadata.offline_at = attempt.made_at;
  const form = new FormData();
  form.append('metadata', JSON.stringify(metadata));
  if (attempt.photo) form.append('photo', attempt.photo, 'selfie.jpg');
  let response;
  try {
    if (!navigator.onLine) throw new Error('offline');
    response = await fetch('/api/v1/checkins', { method: 'POST', body: form });
  } catch {
    if (!attempt.offline) await queue.put({ ...attempt, offline: true });
    return 'offline';
  }
  if (response.status === 401) return 'signed-out';
  if (response.status >= 500) return 'later';
  const body = await response.json().catch(() => ({}));
  await queue.remove(attempt.attempt_id);
  if (response.ok) {
    report(attempt, text[body.outcome] ?? body.outcome, body.outcome === 'accepted');
  } else {
    const details = (body.errors ?? []).map((e) => e.message).join('; ');
    report(attempt, `${text.refused}: ${body.title ?? response.status}${details ? ` (${details})` : ''}`, false);
  }
  return 'answered';
}

let syncing = false;
async function syncAll() {
  if (syncing) return;
  syncing = true;
  let answered = 0;
  try {
    for (const attempt of await queue.all()) {
      const outcome = await send(attempt);
      if (outcome === 'signed-out') {
        result.textContent = text.signedOut;
        setTimeout(() => { location.href = '/masuk'; }, 1500);
        return;
      }
      if (outcome === 'offline') {
        result.textContent = text.queued;
        break;
      }
      if (outcome === 'answered') answered += 1;
    }
  } finally {
    syncing = false;
    await refreshCount();
  }
  // Today's status and events come from the server: show them once something was answered.
  if (answered > 0) setTimeout(() => location.reload(), 1500);
}

async function attempt(kind) {
  const mode = modeSelect.value;
  if (mode === 'office' && !position) {
    result.textContent = text.noLocation;
    return;
  }
  let photo = null;
  let qrToken = null;
  if (mode === 'qr') {
    if (await cameraReady) {
      result.textContent = text.aim;
      qrToken = await camera.scanQr(video);
    } else {
      qrToken = typedCode.value.trim();
      if (!qrToken) result.textContent = text.typeCode;
    }
    if (!qrToken) return;
  } else {
    photo = setup.photos && (await cameraReady) ? await camera.snapshot(video) : null;
    if (mode === 'office' && setup.photos && !photo) {
      result.textContent = text.noCamera;
      return;
    }
  }
  result.textContent = text.sending;
  await queue.put({
    attempt_id: crypto.randomUUID(),
    kind,
    mode,
    device_id: deviceId(),
    lat: position?.lat ?? null,
    lon: position?.lon ?? null,
    accuracy_m: position?.accuracy_m ?? null,
    made_at: new Date().toISOString(),
    offline: !navigator.onLine,
    photo,
    qr_token: qrToken,
  });
  await syncAll();
}

for (const button of document.querySelectorAll('[data-kind]')) {
  button.addEventListener('click', () => attempt(button.dataset.kind));
}
document.getElementById('sync').addEventListener('click', syncAll);
window.addEventListener('online', syncAll);
refreshCount().then(() => { if (navigator.onLine) syncAll(); });
