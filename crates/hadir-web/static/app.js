// Every page: the service worker (so the check-in page opens offline), this browser's device id,
// and on sign-out the cached pages are dropped (the queue of unsent check-ins is kept).
import { count } from './queue.js';

export function deviceId() {
  let id = localStorage.getItem('hadir_device_id');
  if (!id) {
    id = 'web-' + crypto.randomUUID();
    localStorage.setItem('hadir_device_id', id);
  }
  return id;
}

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
}

document.getElementById('sign-out')?.addEventListener('htmx:beforeRequest', () => {
  if ('caches' in window) caches.delete('hadir-pages');
});

// A refusal from the server is shown at the top of the page (see pages::session::failed), and
// each field's problem beside its input in the form that was sent (or elsewhere in its
// section, such as a preview); the next request starts with a clean slate, except a quiet one
// (`data-quiet`: a preview redrawn while typing).
document.addEventListener('htmx:beforeRequest', (event) => {
  if (event.detail.elt?.hasAttribute('data-quiet')) return;
  const error = document.getElementById('page-error');
  if (error) error.textContent = '';
  document.querySelectorAll('.field-error').forEach((e) => e.remove());
  document.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
});

document.addEventListener('htmx:afterSwap', (event) => {
  if (event.detail.target.id !== 'page-error') return;
  const sender = event.detail.requestConfig?.elt;
  const scopes = [sender?.closest('form, tr'), sender?.closest('section'), document].filter(Boolean);
  event.detail.target.querySelectorAll('li[data-field]').forEach((item) => {
    const name = `[name="${CSS.escape(item.dataset.field)}"]`;
    const input = scopes.map((scope) => scope.querySelector(name)).find(Boolean);
    if (!input) return;
    input.setAttribute('aria-invalid', 'true');
    const message = document.createElement('small');
    message.className = 'field-error';
    message.textContent = item.textContent;
    input.insertAdjacentElement('afterend', message);
  });
});

const note = document.getElementById('queued-note');
if (note) count().then((n) => { note.hidden = n === 0; }).catch(() => {});
