// Registering this browser as the person's device, with a live selfie — or without one where the
// person has not consented to selfies (the page then has no camera).
import { deviceId } from './app.js';
import * as camera from './camera.js';

const video = document.getElementById('camera');
const result = document.getElementById('result');
document.getElementById('device-id').textContent = deviceId();

const cameraReady = video
  ? camera.start(video).then((ok) => {
    document.getElementById('camera-error').hidden = ok;
    return ok;
  })
  : null;

document.getElementById('register').addEventListener('click', async () => {
  let selfie = null;
  if (cameraReady) {
    if (!(await cameraReady)) return;
    selfie = await camera.snapshot(video);
    if (!selfie) return;
  }
  const brands = navigator.userAgentData?.brands?.map((b) => b.brand).filter((b) => !b.includes('Not')) ?? [];
  const metadata = {
    device_id: deviceId(),
    model: (brands.join(' ') || 'Browser').slice(0, 100),
    os: (navigator.userAgentData?.platform || navigator.platform || '').slice(0, 100) || null,
  };
  const form = new FormData();
  form.append('metadata', JSON.stringify(metadata));
  if (selfie) form.append('selfie', selfie, 'selfie.jpg');
  const response = await fetch('/api/v1/devices', { method: 'POST', body: form });
  if (response.ok) {
    result.textContent = result.dataset.done;
    setTimeout(() => location.reload(), 1200);
  } else {
    const problem = await response.json().catch(() => ({}));
    result.textContent = `${result.dataset.refused}: ${problem.title ?? response.status}`;
  }
});
