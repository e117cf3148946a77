// Browser APIs the sync loop needs that web-sys does not cover well: Web Locks (one syncing tab),
// BroadcastChannel (tell the other tabs), persistent storage.

// Resolves to a function that releases the lock, or null when another tab holds it. Browsers
// without Web Locks get a no-op lock: then each tab syncs on its own, which is safe, only busier.
export function tryLock(name) {
  if (!navigator.locks || !navigator.locks.request) return Promise.resolve(() => {});
  return new Promise((resolve) => {
    navigator.locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(null);
          return undefined;
        }
        return new Promise((release) => resolve(release));
      })
      .catch(() => resolve(() => {}));
  });
}

const channels = new Map();
function channel(name) {
  if (typeof BroadcastChannel === "undefined") return null;
  if (!channels.has(name)) channels.set(name, new BroadcastChannel(name));
  return channels.get(name);
}

// Tells the other tabs that the device's data changed (a local write or a sync).
export function announce(name) {
  const c = channel(name);
  if (c) c.postMessage("changed");
}

// Calls `callback` when another tab announces a change.
export function listen(name, callback) {
  const c = channel(name);
  if (c) c.addEventListener("message", () => callback());
}

// Asks the browser to keep this site's data under storage pressure. Resolves to true (kept),
// false (refused) or null (the browser cannot say).
export async function persistStorage() {
  try {
    if (!navigator.storage || !navigator.storage.persist) return null;
    if (await navigator.storage.persisted()) return true;
    return await navigator.storage.persist();
  } catch {
    return null;
  }
}

export function isOnline() {
  return navigator.onLine !== false;
}
