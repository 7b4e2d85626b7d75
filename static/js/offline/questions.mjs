// Think Child offline: the prompt set (the questions, no answers), for the offline app and for a
// screen keeping an answer with no signal: through the service worker (the server's copy, or the
// one it keeps), else straight from the worker's cache (a page it does not control).
export async function promptSet() {
  try {
    const response = await fetch("/api/v1/prompt-set", { credentials: "same-origin" });
    if (response.ok) return await response.json();
  } catch (error) {
    // no signal and no worker: the kept copy below
  }
  const kept = "caches" in window && (await caches.match("/api/v1/prompt-set", { cacheName: "tc-data" }));
  return kept ? kept.json() : null;
}
