// Think Child: an autosave that finds the session ended opens a sign-in dialog in place, over
// the screen and what was typed. The same user signed in again: the unsent save goes again, and
// the outbox. A different user gets nothing of the first's: page and outbox wiped, as at
// sign-out. Also sends again what quick hide held back ("tc:resumed" from quick-hide.mjs).

const dialog = document.getElementById("tc-sign-in");

function forms() {
  return [...document.querySelectorAll("form.tc-screen-form")];
}

function resend() {
  for (const form of forms()) {
    if (!form.dataset.unsent) continue;
    delete form.dataset.unsent;
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }
  // What waits in the outbox goes now: from this screen (the outbox loaded only now, never in
  // the first load) and from an open offline app (offline/app.mjs).
  import("/static/js/offline/outbox.mjs").then((outbox) => outbox.sync()).catch(() => {});
  if ("BroadcastChannel" in window) new BroadcastChannel("tc-session").postMessage("signed-in");
}

function useToken(token) {
  document.querySelector('meta[name="csrf-token"]')?.setAttribute("content", token);
  document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRF-Token": token }));
  for (const input of document.querySelectorAll('input[name="csrf_token"]')) input.value = token;
}

// The token a page of ours carries in its form (the sign-in page's is signed, cookie-bound).
async function tokenFrom(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  return page.querySelector('input[name="csrf_token"]')?.value || "";
}

async function post(url, fields) {
  return fetch(url, {
    method: "POST",
    body: new URLSearchParams(fields),
    credentials: "same-origin",
    redirect: "manual",
  });
}

function say(text) {
  const error = document.getElementById("tc-sign-in-error");
  error.textContent = text;
  error.hidden = !text;
}

function step(name) {
  for (const group of dialog.querySelectorAll("[data-step]")) group.hidden = group.dataset.step !== name;
  dialog.querySelector(name === "code" ? "#tc-sign-in-code" : "#tc-sign-in-username").focus();
}

async function whoIsIn() {
  const response = await fetch("/api/v1/session", { credentials: "same-origin" });
  return response.ok ? response.json() : null;
}

async function signedIn(who) {
  const first = forms()[0]?.dataset.user;
  if (first && who.user_id !== first) {
    // Someone else: nothing the first user typed or kept is theirs to see.
    for (const form of forms()) {
      form.reset();
      form.remove();
    }
    const { wipe } = await import("/static/js/offline/store.mjs");
    await wipe().catch(() => {});
    location.replace("/");
    return;
  }
  useToken(who.csrf_token);
  dialog.close();
  say("");
  resend();
}

async function submit(event) {
  event.preventDefault();
  const form = event.target;
  const code = !dialog.querySelector('[data-step="code"]').hidden;
  try {
    if (code) {
      const token = await tokenFrom("/login/code");
      const response = await post("/login/code", { csrf_token: token, code: form.elements.code.value.trim() });
      if (response.type !== "opaqueredirect") {
        say(dialog.dataset.codeWrong);
        return;
      }
    } else {
      const username = form.elements.username.value.trim();
      const password = form.elements.password.value;
      if (!username || !password) {
        say(dialog.dataset.missing);
        return;
      }
      const token = await tokenFrom("/login");
      const response = await post("/login", { csrf_token: token, username, password, next: "/" });
      form.elements.password.value = "";
      if (response.status === 429) return say(dialog.dataset.throttled);
      if (response.type !== "opaqueredirect") return say(dialog.dataset.failed);
    }
    const who = await whoIsIn();
    if (!who) {
      // The password was right and this account uses a second factor: its code next.
      say("");
      step("code");
      return;
    }
    await signedIn(who);
  } catch {
    say(dialog.dataset.noSignal);
  }
}

function open() {
  if (!dialog || dialog.open) return;
  step("password");
  dialog.showModal();
}

if (dialog) {
  dialog.querySelector("form").addEventListener("submit", submit);
  // Escape keeps the dialog (and the page under it): what was typed is never thrown away.
  dialog.addEventListener("cancel", (event) => event.preventDefault());
  document.body.addEventListener("tc-signed-out", (event) => {
    event.target.closest?.("form")?.setAttribute("data-unsent", "1");
    for (const form of forms()) form.dataset.unsent = "1";
    open();
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest?.("[data-sign-in-again]")) open();
  });
}

document.addEventListener("htmx:responseError", (event) => {
  // Quick hide locked the session while this save was on its way: it goes once unlocked.
  if (event.detail.xhr?.status === 423) event.target.closest?.("form")?.setAttribute("data-unsent", "1");
});
document.addEventListener("tc:resumed", resend);
