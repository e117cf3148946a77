// Qingtuan's service worker: the app shell, precached and served cache-first.
// The placeholders are filled at build time by build/stamp-sw.mjs with this build's files and
// a version taken from their contents. API calls are never cached here: data lives in
// IndexedDB.
//
// The client is two builds: the main one everyone gets (precached on install), and the staff
// build under /staff/ (venue mode, admin screens), saved only on organizers' and admins'
// devices: when the app asks (CACHE_STAFF, sent for those roles), when a staff screen is opened
// online, and again on every update of a device that had it.
const VERSION = "__QT_VERSION__";
const FILES = __QT_FILES__;
const STAFF_FILES = __QT_STAFF_FILES__;
const STAFF_INDEX = "/staff/index.html";
// The first path segments the staff build serves: domain::bundle::STAFF_ROUTES (a test in
// app/src/lib.rs keeps the two lists equal).
const STAFF_ROUTES = ["venue", "admin"];
const PREFIX = "qingtuan-shell-";
const CACHE = PREFIX + VERSION;

// `reload` bypasses the HTTP cache so a new version never precaches stale files.
const fresh = (f) => new Request(f, { cache: "reload" });

async function hadStaffBuild() {
  for (const key of await caches.keys()) {
    if (key.startsWith(PREFIX) && key !== CACHE && (await (await caches.open(key)).match(STAFF_INDEX))) {
      return true;
    }
  }
  return false;
}

async function cacheStaffBuild() {
  if (STAFF_FILES.length === 0) return;
  const cache = await caches.open(CACHE);
  if (!(await cache.match(STAFF_INDEX))) await cache.addAll(STAFF_FILES.map(fresh));
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const keepStaff = await hadStaffBuild();
      await (await caches.open(CACHE)).addAll(FILES.map(fresh));
      if (keepStaff) await cacheStaffBuild();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

// The page asks the waiting worker to take over when the person taps 更新.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
  if (event.data && event.data.type === "CACHE_STAFF") event.waitUntil(cacheStaffBuild().catch(() => {}));
});

function isStaffPath(pathname) {
  return STAFF_ROUTES.includes(pathname.split("/")[1]);
}

// A file (an extension, or a dot segment such as /.well-known/) is never a client route: opened
// in a tab it is that file from the cache or the network, as the server answers it, not the app.
function isFile(pathname) {
  const last = pathname.split("/").pop();
  return pathname.split("/").some((s) => s.startsWith(".")) || /.\.[^.]+$/.test(last);
}

function isApi(url) {
  return url.pathname === "/api" || url.pathname.startsWith("/api/") || url.pathname === "/healthz";
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isApi(url)) return;
  if (request.mode === "navigate" && !isFile(url.pathname)) {
    // Every client route is one of two pages: answer from the cache at once, even on a weak
    // connection; the update check runs in the background.
    const staff = isStaffPath(url.pathname);
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        if (staff) {
          const hit = await cache.match(STAFF_INDEX);
          if (hit) return hit;
          try {
            const response = await fetch(request);
            if (response.ok) event.waitUntil(cacheStaffBuild().catch(() => {}));
            return response;
          } catch (err) {
            // Offline on a device without the staff build: the main build says so.
            const main = await cache.match("/index.html");
            if (main) return main;
            throw err;
          }
        }
        return (await cache.match("/index.html")) || fetch(request);
      })(),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request)).then((hit) => hit || fetch(request)),
  );
});
