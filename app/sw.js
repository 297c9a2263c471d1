// Voci's service worker: the app shell from a versioned cache, the catalog network-first, the
// facilitator's focus-group screens (/focus/) cached once they are opened online, and the
// enrolment screen (/enrol) from the network only.
//
// The build step replaces the placeholders after `trunk build`. Unprocessed (development),
// PRECACHE and FOCUS are not arrays and nothing is cached up front.
const VERSION = "__VOCI_VERSION__";
const PRECACHE = __VOCI_PRECACHE__;
// The focus entry's files (dist/focus/), not in the install's precache: the tablets' first
// load does not carry them. Cached when /focus/ is opened online (the page asks), and again
// at each update of this worker if the previous one had them.
const FOCUS = __VOCI_FOCUS__;

const SHELL = "voci-shell-" + VERSION;
const FOCUS_CACHE = "voci-focus-" + VERSION;
const FOCUS_PAGE = "/focus/";
const API = "voci-api";
// What the app needs to start offline: kept from the last time the collector answered.
const CATALOG = ["/api/surveys", "/api/sites", "/api/guides"];

self.addEventListener("install", (event) => {
  const paths = Array.isArray(PRECACHE) ? PRECACHE : [];
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(paths))
      // An update must not silently drop a facilitator's offline focus-group screens. If this
      // fails, the old copy stays (see activate) until /focus/ is next opened online.
      .then(() => focusWasCached())
      .then((had) => (had ? cacheFocus().catch(() => {}) : null))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const complete = await focusComplete();
      const names = await caches.keys();
      await Promise.all(
        names
          .filter(
            (n) =>
              (n.startsWith("voci-shell-") && n !== SHELL) ||
              (complete && n.startsWith("voci-focus-") && n !== FOCUS_CACHE),
          )
          .map((n) => caches.delete(n)),
      );
      await self.clients.claim();
    })(),
  );
});

// The focus entry's page, once open, asks for its files to be kept for offline use.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "cache-focus") {
    event.waitUntil(cacheFocus().catch(() => {}));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  const under = (area) => url.pathname === area || url.pathname.startsWith(area + "/");

  // The coordinators' results area (/results/) is online only and not the app's shell.
  if (under("/results")) return;

  // Enrolling (/enrol?code=...) is online only, never cached; offline, the shell says so.
  if (under("/enrol")) {
    if (request.mode === "navigate") event.respondWith(networkElseShell(request));
    return;
  }

  if (under("/focus")) {
    event.respondWith(request.mode === "navigate" ? focusPage(request) : focusFile(request));
  } else if (CATALOG.includes(url.pathname)) {
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

// The focus entry's page: the cached copy (offline too), else the network. Offline and never
// cached, the app shell answers: at /focus/ it says to open the screens once online.
async function focusPage(request) {
  const cached = await focusMatch(FOCUS_PAGE);
  return cached || networkElseShell(request);
}

// A page from the network, else the shell, which says what needs the network there.
async function networkElseShell(request) {
  try {
    return await fetch(request);
  } catch (err) {
    const shell = await caches.match("/index.html", { cacheName: SHELL });
    if (shell) return shell;
    throw err;
  }
}

async function focusFile(request) {
  const cached = await focusMatch(new URL(request.url).pathname);
  return cached || fetch(request);
}

// A focus file from this version's copy, else from an older one kept because an update could
// not fetch the new files (each copy is whole: its page names only its own files).
async function focusMatch(path) {
  const own = await caches.match(path, { cacheName: FOCUS_CACHE });
  if (own) return own;
  if (path === FOCUS_PAGE || !(await focusComplete())) {
    for (const name of await caches.keys()) {
      if (name.startsWith("voci-focus-") && name !== FOCUS_CACHE) {
        const old = await caches.match(path, { cacheName: name });
        if (old) return old;
      }
    }
  }
  return undefined;
}

// Fetches this version's focus files that are not cached yet; once all are, older copies go.
async function cacheFocus() {
  if (!Array.isArray(FOCUS)) return;
  const cache = await caches.open(FOCUS_CACHE);
  const missing = [];
  for (const path of FOCUS) {
    if (!(await cache.match(path))) missing.push(path);
  }
  await cache.addAll(missing);
  const names = await caches.keys();
  await Promise.all(
    names
      .filter((n) => n.startsWith("voci-focus-") && n !== FOCUS_CACHE)
      .map((n) => caches.delete(n)),
  );
}

async function focusComplete() {
  if (!Array.isArray(FOCUS)) return false;
  const cache = await caches.open(FOCUS_CACHE);
  for (const path of FOCUS) {
    if (!(await cache.match(path))) return false;
  }
  return true;
}

// Whether an earlier version of this worker kept the focus entry's page.
async function focusWasCached() {
  for (const name of await caches.keys()) {
    if (name.startsWith("voci-focus-") && name !== FOCUS_CACHE) {
      if (await caches.match(FOCUS_PAGE, { cacheName: name })) return true;
    }
  }
  return false;
}
