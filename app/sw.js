// Qingtuan's service worker: the app shell, precached and served cache-first.
// The two placeholders are filled at build time by build/stamp-sw.mjs with this build's
// files and a version taken from their contents. API calls are never cached here: data
// lives in IndexedDB.
const VERSION = "__QT_VERSION__";
const FILES = __QT_FILES__;
const PREFIX = "qingtuan-shell-";
const CACHE = PREFIX + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // `reload` bypasses the HTTP cache so a new version never precaches stale files.
      .then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: "reload" })))),
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
});

function isApi(url) {
  return url.pathname === "/api" || url.pathname.startsWith("/api/") || url.pathname === "/healthz";
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isApi(url)) return;
  if (request.mode === "navigate") {
    // Every client route is the same page: answer from the cache at once, even on a weak
    // connection; the update check runs in the background.
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match("/index.html")).then((hit) => hit || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request)).then((hit) => hit || fetch(request)),
  );
});
