/* Engawa's service worker, served at /sw.js (participants/phone_views.py fills in the shell's
   addresses and the version). It keeps the shell (stylesheet, scripts, icons, offline page) so
   the app opens on a weak connection, and shows the last copy of a page, marked as a copy, or
   the offline page when a page cannot be reached. Records made offline are kept by js/queue.js;
   here they are sent by Background Sync where the browser has it (the pages send them too). */
"use strict";
const CACHE = "engawa-shell-__VERSION__";
const SHELL = ["__SHELL__"];
const OFFLINE = "__OFFLINE__";
const PAGES = "engawa-pages";
const CACHED_PAGES = /^\/(today|units|record)\//;

importScripts("__QUEUE__");

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE && k !== PAGES).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// --- pages and the shell ------------------------------------------------------------------------

function fromShell(request) {
  return caches.match(request).then((hit) => hit || fetch(request));
}

// A copy from the cache says so: the page's script then shows when it was saved and turns
// the buttons that need the server into waiting ones.
function markedAsCopy(response) {
  return response.text().then((html) => new Response(
    html.replace("<body ", "<body data-offline-copy "),
    { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } }
  ));
}

// The network first, so that what is shown is current; the last copy of the page, or the
// offline page, when there is no connection.
function page(request) {
  const url = new URL(request.url);
  return fetch(request)
    .then((response) => {
      if (response.ok && CACHED_PAGES.test(url.pathname)) {
        const copy = response.clone();
        caches.open(PAGES).then((cache) => cache.put(request, copy));
      }
      return response;
    })
    .catch(() => caches.match(request).then((hit) => (hit ? markedAsCopy(hit) : caches.match(OFFLINE))));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (SHELL.includes(url.pathname)) {
    event.respondWith(fromShell(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});

/* Reminders (participants/reminders.py): a push shows one calm notification; tapping it opens
   the page it names. Kept as separate functions at the end of the file. */
function showReminder(event) {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  if (!data.title) return;
  event.waitUntil(
    self.registration.showNotification(data.title, {
      body: data.body || "",
      icon: "/static/icons/icon-192.png",
      data: { url: data.url || "/today/" },
      tag: "engawa-reminder",
    })
  );
}

function openReminder(event) {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/today/", self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === target.href && "focus" in client) return client.focus();
      }
      return self.clients.openWindow(target.href);
    })
  );
}

self.addEventListener("push", showReminder);
self.addEventListener("notificationclick", openReminder);

// --- the offline queue: Background Sync -----------------------------------------------------------

function tellPages() {
  return self.clients.matchAll({ type: "window" })
    .then((pages) => pages.forEach((client) => client.postMessage("engawa-queue-changed")));
}

function syncQueue() {
  // Each record carries the CSRF token of the page that kept it; a stale one leaves the
  // record waiting for a page to send it.
  return self.EngawaQueue.flush(null).then(tellPages);
}

self.addEventListener("sync", (event) => {
  if (event.tag === "engawa-queue") event.waitUntil(syncQueue());
});
