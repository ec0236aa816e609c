// The offline queue: each check-in attempt is stored in IndexedDB before it is sent, with its
// UUID and the time it was made, and removed only once the server has answered it. Closing the
// tab, losing the network or the session loses nothing.
const DB = 'hadir';
const STORE = 'attempts';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'attempt_id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = work(tx.objectStore(STORE));
    tx.oncomplete = () => { db.close(); resolve(request?.result); };
    tx.onerror = () => { db.close(); reject(tx.error); };
  });
}

export const put = (attempt) => run('readwrite', (s) => s.put(attempt));
export const remove = (attemptId) => run('readwrite', (s) => s.delete(attemptId));
export const all = () => run('readonly', (s) => s.getAll());
export const count = () => run('readonly', (s) => s.count());
