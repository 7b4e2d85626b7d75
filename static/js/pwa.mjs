// Think Child: register the service worker and offer its updates. A new version waits until
// the officer taps "Update now": it never replaces the app under a half-typed screen.

function offerUpdate(worker) {
  if (document.getElementById("tc-update")) return;
  const banner = document.createElement("div");
  banner.id = "tc-update";
  banner.className = "govuk-notification-banner tc-update";
  banner.setAttribute("role", "region");
  banner.setAttribute("aria-labelledby", "tc-update-title");
  banner.innerHTML =
    '<div class="govuk-notification-banner__header">' +
    '<h2 class="govuk-notification-banner__title" id="tc-update-title">Update available</h2></div>' +
    '<div class="govuk-notification-banner__content">' +
    '<p class="govuk-body">A new version of Think Child is ready. Finish what you are typing, then update.</p>' +
    '<button type="button" class="govuk-button govuk-!-margin-bottom-0" data-module="govuk-button">Update now</button></div>';
  banner.querySelector("button").addEventListener("click", () => {
    sessionStorage.setItem("tc-updating", "1");
    worker.postMessage({ type: "skip-waiting" });
  });
  const main = document.getElementById("main-content") || document.body;
  main.prepend(banner);
}

async function register() {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  const watch = (worker) => {
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(worker);
    });
  };
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
  if (registration.installing) watch(registration.installing);
  registration.addEventListener("updatefound", () => watch(registration.installing));
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only the officer's own "Update now" swaps the worker; the page then reloads once.
    if (sessionStorage.getItem("tc-updating") === "1") {
      sessionStorage.removeItem("tc-updating");
      window.location.reload();
    }
  });
  navigator.serviceWorker.ready.then((ready) => {
    if (!navigator.serviceWorker.controller && ready.active) ready.active.postMessage({ type: "claim" });
  });
  setInterval(() => registration.update().catch(() => {}), 30 * 60 * 1000);
  await keepPromptSet();
}

// The questions (no answers) for the offline app: fetched through the worker, which keeps a
// copy, once a signed-in officer's page finds none kept yet.
async function keepPromptSet() {
  const officer = document.querySelector('meta[name="tc-offline"]')?.content === "officer";
  if (!officer || !("caches" in window)) return;
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((done) => navigator.serviceWorker.addEventListener("controllerchange", done, { once: true }));
  }
  if (await caches.match("/api/v1/prompt-set", { cacheName: "tc-data" })) return;
  await fetch("/api/v1/prompt-set", { credentials: "same-origin" }).catch(() => {});
}

register().catch(() => {});

// Signing out leaves nothing of the incidents in this browser: the encrypted drafts and their
// key are deleted before the sign-out is sent.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.getAttribute("action") !== "/logout") return;
  if (form.dataset.wiped === "1") return;
  event.preventDefault();
  try {
    const { wipe } = await import("/static/js/offline/store.mjs");
    await wipe();
  } finally {
    form.dataset.wiped = "1";
    form.submit();
  }
});
