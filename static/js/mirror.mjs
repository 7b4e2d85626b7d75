// Think Child: a checklist screen keeps its incident's draft on the phone, for when the signal
// goes (static/js/offline/mirror.mjs). That work is loaded after the page is drawn, when the
// browser is idle (or at once, when an autosave finds no signal), never in the first load.
const form = document.querySelector("form.tc-screen-form[data-user]");
let work = null;
const load = () => (work ||= import("/static/js/offline/mirror.mjs"));

if (form && "indexedDB" in window && window.crypto?.subtle) {
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
  window.addEventListener("online", refresh);
  window.addEventListener("load", () => {
    const idle = window.requestIdleCallback || ((run) => setTimeout(run, 1000));
    idle(refresh, { timeout: 3000 });
  });
}
