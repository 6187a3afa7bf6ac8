// IntegraPsy's service worker, written with Workbox (static/vendor/workbox/). It keeps the
// application shell and the static files, the few pages meant for use without network (they hold
// no clinical text written by others), and sends the offline queue when the network returns.
{% for url in workbox %}importScripts("{{ url }}");
{% endfor %}importScripts("{{ queue_script }}");

// Static URLs and settings, as JSON (a JavaScript literal): nothing a user wrote.
const CONFIG = {{ config|safe }};
const HOUR_SECONDS = 3600;

workbox.core.setCacheNameDetails({ prefix: "integrapsy" });
self.skipWaiting();
workbox.core.clientsClaim();

workbox.precaching.precacheAndRoute(CONFIG.precache);
workbox.precaching.cleanupOutdatedCaches();

const ok = new workbox.cacheableResponse.CacheableResponsePlugin({ statuses: [200] });

workbox.routing.registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith(CONFIG.static),
  new workbox.strategies.CacheFirst({
    cacheName: "integrapsy-static",
    plugins: [ok, new workbox.expiration.ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 30 * 24 * HOUR_SECONDS })],
  }),
);

// The pages a form may be filled in from without network: the empty referral form, the
// ambassador's reduced view of an assignment (a first name, languages, their own contacts) and the
// attendance sheet (first names and slot times). Kept no longer than the queue itself.
const OFFLINE_PAGES = [
  /^\/referrals\/new\/$/,
  /^\/my-assignments\/[0-9a-f-]{36}\/$/,
  /^\/permanences\/[0-9a-f-]{36}\/attendance\/$/,
];

workbox.routing.registerRoute(
  ({ request, url }) =>
    request.mode === "navigate" && url.origin === self.location.origin && OFFLINE_PAGES.some((re) => re.test(url.pathname)),
  new workbox.strategies.NetworkFirst({
    cacheName: self.IntegraPsyOffline.PAGE_CACHE,
    networkTimeoutSeconds: 8,
    plugins: [ok, new workbox.expiration.ExpirationPlugin({ maxEntries: 30, maxAgeSeconds: CONFIG.maxAgeHours * HOUR_SECONDS })],
  }),
);

// Every other page comes from the network only; without it, the offline page.
workbox.routing.setDefaultHandler(new workbox.strategies.NetworkOnly());
workbox.routing.setCatchHandler(async ({ request }) => {
  if (request.destination === "document") {
    return (await workbox.precaching.matchPrecache(CONFIG.offline)) || Response.error();
  }
  return Response.error();
});

// Background Sync, where the browser has it: the queue goes when the network is back, even with
// no page of the app open. The pages then show what was sent.
self.addEventListener("sync", (event) => {
  if (event.tag !== "integrapsy-send") {
    return;
  }
  event.waitUntil(
    (async () => {
      const user = await self.IntegraPsyOffline.meta("user");
      const csrf = await self.IntegraPsyOffline.meta("csrf");
      if (!user) {
        return;
      }
      await self.IntegraPsyOffline.flush({ user: user, csrf: csrf, maxAgeHours: CONFIG.maxAgeHours });
      for (const client of await self.clients.matchAll({ type: "window" })) {
        client.postMessage({ type: "integrapsy-queue-changed" });
      }
    })(),
  );
});
