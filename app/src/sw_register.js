// Registers the service worker and tells the app when a new version is waiting.
let waiting = null;
let updating = false;

export function registerServiceWorker(onUpdateReady) {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only reload for an update the person asked for, not for the first install.
    if (updating) window.location.reload();
  });
  navigator.serviceWorker
    .register("/sw.js")
    .then((registration) => {
      const offer = (worker) => {
        waiting = worker;
        onUpdateReady();
      };
      if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
      registration.addEventListener("updatefound", () => {
        const worker = registration.installing;
        if (!worker) return;
        worker.addEventListener("statechange", () => {
          if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
        });
      });
      const check = () => registration.update().catch(() => {});
      setInterval(check, 15 * 60 * 1000);
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") check();
      });
      window.addEventListener("online", check);
    })
    .catch((err) => console.warn("service worker registration failed", err));
}

export function applyUpdate() {
  if (!waiting) return false;
  updating = true;
  waiting.postMessage({ type: "SKIP_WAITING" });
  return true;
}

// Asks the active worker to save the staff build too (organizers and admins only).
export function keepStaffBuild() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.ready
    .then((registration) => registration.active && registration.active.postMessage({ type: "CACHE_STAFF" }))
    .catch(() => {});
}
