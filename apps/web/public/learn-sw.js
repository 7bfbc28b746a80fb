// The learning site's service worker, scoped to /learn/. Lessons already opened can be read
// offline: the page, its scripts and the course API answers are kept as they pass (no precache:
// a resident downloads only what they read). Hand-written, not generated: it is these few rules.
const CACHE = 'learn-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('learn-') && k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()),
  );
});

async function networkFirst(request, cacheKey) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(cacheKey ?? request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(cacheKey ?? request);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

// Signing out empties what was kept: the next person on the phone starts clean.
self.addEventListener('message', (event) => {
  if (event.data === 'learn:sign-out') event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('learn-')).map((k) => caches.delete(k)))));
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  // Every /learn/ page is the same single page: one cached copy serves them all offline.
  if (request.mode === 'navigate' && url.pathname.startsWith('/learn')) {
    event.respondWith(networkFirst(request, '/learn/'));
  } else if (url.pathname.startsWith('/assets/') || url.pathname === '/learn-icon.svg') {
    // File names carry a hash of their content: a cached copy never goes stale.
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.startsWith('/api/courses')) {
    // Course answers only: the session (name, record, CSRF token) is never kept, so a shared
    // phone offline does not show the last person's account.
    event.respondWith(networkFirst(request));
  }
});
