// Think Child: quick hide. "Hide screen" (or Alt+Shift+H) blanks the page at once, for screen
// readers too, with a neutral title; the server then locks the session (app/accounts/lock.py).
// The page stays, with what was typed, under the lock screen until the password is given.

const root = document.documentElement;
let savedTitle = "";

function token() {
  return document.querySelector('meta[name="csrf-token"]')?.content || "";
}

function lockScreen() {
  return document.getElementById("tc-lock");
}

function say(text) {
  const error = document.getElementById("tc-lock-error");
  if (!error) return;
  error.textContent = text;
  error.hidden = !text;
}

async function unlock(event) {
  event.preventDefault();
  const form = event.target;
  const panel = lockScreen();
  const password = form.querySelector('[name="password"]');
  if (!password.value) {
    say(panel.dataset.missing);
    password.focus();
    return;
  }
  const body = new URLSearchParams({ password: password.value, next: location.pathname });
  let response;
  try {
    response = await fetch("/unlock", {
      method: "POST",
      headers: { "X-CSRF-Token": token() },
      body,
      credentials: "same-origin",
      redirect: "manual",
    });
  } catch {
    say(panel.dataset.failed);
    return;
  }
  password.value = "";
  if (response.type === "opaqueredirect") {
    show();
    return;
  }
  if (response.status === 429) say(panel.dataset.throttled);
  else if (response.status === 422) say(panel.dataset.failed);
  else {
    // The session ended while hidden: only a full sign-in brings anything back.
    say(panel.dataset.signedOut);
    location.replace("/login");
    return;
  }
  password.focus();
}

export function hide() {
  if (root.classList.contains("tc-hidden")) return;
  root.classList.add("tc-hidden"); // CSS hides all but the lock screen
  for (const open of document.querySelectorAll("dialog[open]")) open.close(); // else inert
  for (const element of document.body.children) {
    element.inert = true;
    element.setAttribute("aria-hidden", "true");
  }
  savedTitle = document.title;
  document.title = "Locked";
  const template = document.getElementById("tc-lock-template");
  if (template) {
    document.body.append(template.content.cloneNode(true));
    const panel = lockScreen();
    panel.querySelector("form.tc-unlock-form").addEventListener("submit", unlock);
    panel.querySelector('[name="password"]').focus();
  }
  const form = document.querySelector("form[data-quick-hide]");
  fetch("/lock", {
    method: "POST",
    headers: { "X-CSRF-Token": token() },
    body: new URLSearchParams({ next: form?.elements.next.value || location.pathname }),
    credentials: "same-origin",
    redirect: "manual",
  }).catch(() => {});
}

function show() {
  lockScreen()?.remove();
  for (const element of document.body.children) {
    element.inert = false;
    element.removeAttribute("aria-hidden");
  }
  document.title = savedTitle;
  root.classList.remove("tc-hidden");
  document.dispatchEvent(new CustomEvent("tc:resumed"));
}

const button = document.querySelector("form[data-quick-hide]");
if (button) {
  button.addEventListener("submit", (event) => {
    event.preventDefault();
    hide();
  });
  document.addEventListener("keydown", (event) => {
    if (event.altKey && event.shiftKey && event.code === "KeyH") {
      event.preventDefault();
      hide();
    }
  });
}
