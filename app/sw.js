// Voci's service worker: the app shell from a versioned cache, the catalog network-first.
//
// The build step replaces the two placeholders after `trunk build`. Unprocessed (development),
// PRECACHE is not an array and nothing is cached up front.
const VERSION = "__VOCI_VERSION__";
const PRECACHE = __VOCI_PRECACHE__;

const SHELL = "voci-shell-" + VERSION;
const API = "voci-api";
// What the app needs to start offline: kept from the last time the collector answered.
const CATALOG = ["/api/surveys", "/api/sites", "/api/guides"];

self.addEventListener("install", (event) => {
  const paths = Array.isArray(PRECACHE) ? PRECACHE : [];
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(paths))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((n) => n.startsWith("voci-shell-") && n !== SHELL)
            .map((n) => caches.delete(n)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  // The coordinators' results area (/results/) is online only and not the app's shell.
  if (url.pathname === "/results" || url.pathname.startsWith("/results/")) return;

  if (CATALOG.includes(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith("/api/")) {
    // Everything else under /api/ goes straight to the collector.
  } else if (request.mode === "navigate") {
    event.respondWith(shellFirst(request));
  } else {
    event.respondWith(cacheFirst(request));
  }
});

async function networkFirst(request) {
  const cache = await caches.open(API);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request.url, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(request.url);
    if (cached) return cached;
    throw err;
  }
}

async function shellFirst(request) {
  const cached = await caches.match("/index.html", { cacheName: SHELL });
  return cached || fetch(request);
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL });
  return cached || fetch(request);
}
