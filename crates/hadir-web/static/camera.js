// The live camera: getUserMedia only — no file picker, no gallery — a JPEG taken from the
// video at most 640 px wide, and the QR code in view (jsQR, vendored).
export function stop(video) {
  for (const track of video.srcObject?.getTracks() ?? []) track.stop();
  video.srcObject = null;
}

export async function start(video, facingMode = 'user') {
  stop(video);
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode, width: { ideal: 640 }, height: { ideal: 480 } },
      audio: false,
    });
    video.srcObject = stream;
    await video.play();
    return true;
  } catch {
    return false;
  }
}

function frame(video) {
  const scale = Math.min(1, 640 / video.videoWidth);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas.getContext('2d', { willReadFrequently: true }).drawImage(video, 0, 0, canvas.width, canvas.height);
  return canvas;
}

export function snapshot(video) {
  if (!video.videoWidth) return Promise.resolve(null);
  return new Promise((resolve) => frame(video).toBlob(resolve, 'image/jpeg', 0.85));
}

/** Looks at the video until a QR code is in view (up to `seconds`); its text, or null. */
export async function scanQr(video, seconds = 60) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (video.videoWidth && window.jsQR) {
      const canvas = frame(video);
      const image = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      if (code?.data) return code.data;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return null;
}
