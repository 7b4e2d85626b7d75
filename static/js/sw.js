// Think Child service worker, served from /sw.js (scope: the whole site) by app/pwa.py, which
// fills in the version and the list of files to cache. It caches only the app shell and the
// prompt set: never a page or answer with personal data (those are "no-store" on the server).
// A new version waits until the officer chooses "Update now" (never swapped under a screen).
const VERSION = "__VERSION__";
const SHELL = ["__SHELL__"];
const SERVER_ONLY = ["__SERVER_ONLY__"];
const SHELL_CACHE = "tc-shell-" + VERSION;
const DATA_CACHE = "tc-data"; // the prompt set: the questions, no answers
const PROMPT_SET = "/api/v1/prompt-set";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(SHELL);
      // The prompt set needs a signed-in officer: an officer's page fetches it through this
      // worker (pwa.mjs), which keeps the copy.
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((n) => n.startsWith("tc-shell-") && n !== SHELL_CACHE).map((n) => caches.delete(n)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") self.skipWaiting();
  // A page that loaded while this worker was installing (a sign-in's redirect) and so missed
  // the claim at activation asks for it: the same version, never a swap.
  if (event.data && event.data.type === "claim") event.waitUntil(self.clients.claim());
});

async function offlineNavigation(url) {
  const kept = SHELL.includes(url.pathname) && (await caches.match(url.pathname, { cacheName: SHELL_CACHE }));
  if (kept) return kept; // a page of the shell itself (the conflict page)
  const serverOnly = SERVER_ONLY.some((p) => url.pathname === p || url.pathname.startsWith(p + "/"));
  const page = serverOnly ? "/offline/needs-connection" : "/offline";
  return (await caches.match(page, { cacheName: SHELL_CACHE })) || Response.error();
}

async function promptSet(request) {
  try {
    const response = await fetch(request);
    if (response.ok) await (await caches.open(DATA_CACHE)).put(PROMPT_SET, response.clone());
    return response;
  } catch (error) {
    return (await caches.match(PROMPT_SET, { cacheName: DATA_CACHE })) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlineNavigation(url)));
  } else if (url.pathname === PROMPT_SET) {
    event.respondWith(promptSet(request));
  } else if (SHELL.includes(url.pathname) && !url.search) {
    event.respondWith(
      caches.match(url.pathname, { cacheName: SHELL_CACHE }).then((hit) => hit || fetch(request)),
    );
  }
});
