// Think Child: a checklist screen keeps its incident's draft on the phone, for when the signal
// goes (static/js/offline/mirror.mjs); a submitted or closed incident's page removes that copy.
// The work is loaded after the page is drawn, when the browser is idle (or at once, when an
// autosave finds no signal), never in the first load.
const form = document.querySelector("form.tc-screen-form[data-user]");
const finished = document.querySelector('meta[name="tc-forget"]')?.content;
let work = null;
const load = () => (work ||= import("/static/js/offline/mirror.mjs"));
const whenIdle = (run) => {
  const idle = window.requestIdleCallback || ((go) => setTimeout(go, 1000));
  window.addEventListener("load", () => idle(run, { timeout: 3000 }));
};

if ("indexedDB" in window && window.crypto?.subtle) {
  if (form) {
    const then = (name) => () => load().then((m) => m[name](form)).catch(() => {});
    const noSignal = then("noSignal");
    const refresh = then("refresh");
    form.addEventListener("htmx:sendError", noSignal);
    form.addEventListener("htmx:timeout", noSignal);
    form.addEventListener("submit", () => {
      if (!navigator.onLine) noSignal(); // checklist.mjs keeps the page; the answers go in the draft
    });
    form.addEventListener("htmx:afterRequest", (event) => {
      if (event.detail.xhr && event.detail.xhr.status > 0) refresh(); // the server answered
    });
    for (const name of ["input", "change"]) form.addEventListener(name, () => { form.dataset.touched = "1"; });
    window.addEventListener("online", refresh);
    whenIdle(refresh);
  } else if (finished) {
    whenIdle(() => load().then((m) => m.forget(finished)).catch(() => {}));
  }
}
