// Think Child offline app: where things stand (signal, what is waiting, last sent, what could not
// be sent: status.mjs), and the outbox sent whenever the signal is back (outbox.mjs).
import { discard, drafts, keepSending, lastRound, sync } from "/static/js/offline/outbox.mjs";
import { draw } from "/static/js/offline/status.mjs";

const connection = document.getElementById("tc-connection");
const app = document.getElementById("tc-offline-app");

function box() {
  let el = document.getElementById("tc-outbox");
  if (!el && app) {
    el = document.createElement("div");
    el.id = "tc-outbox";
    el.className = "tc-sync";
    app.append(el);
  }
  return el;
}

// What the server would not take, and what to do about it (the counts' alert links here).
const WHY = {
  409: "It has already been submitted or closed. Open it to see where it stands.",
  412: "It was changed on another device after you finished it. Open it, check the answers and submit it again.",
  422: "Some answers were not accepted. Open it to correct them.",
};

// Drafts whose removal the officer has asked for and not yet confirmed (kept across redraws).
const confirming = new Set();

function button(text, classes, onClick) {
  const b = Object.assign(document.createElement("button"), { type: "button", textContent: text });
  b.className = `govuk-button ${classes}`;
  b.addEventListener("click", onClick);
  return b;
}

// Removing a refused draft from this phone: asked, then confirmed, never in one tap (what it
// holds was not sent and is gone once removed).
function removal(d, name) {
  const box = document.createElement("div");
  box.className = "govuk-button-group";
  if (!confirming.has(d.client_uuid)) {
    box.append(button("Remove it from this phone", "govuk-button--secondary", () => {
      confirming.add(d.client_uuid);
      problems().then(() => document.getElementById(`tc-remove-${d.client_uuid}`)?.focus());
    }));
    return [box];
  }
  const warning = Object.assign(document.createElement("p"), {
    id: `tc-remove-${d.client_uuid}`, tabIndex: -1, className: "govuk-body govuk-!-font-weight-bold",
    textContent: `Remove ${name.charAt(0).toLowerCase() + name.slice(1)} from this phone? The answers kept here that the server did not take will be lost. What the server already holds stays.`,
  });
  box.append(
    button("Yes, remove it", "govuk-button--warning", async () => {
      confirming.delete(d.client_uuid);
      await discard(d.client_uuid);
      await problems();
      document.getElementById("tc-offline-title")?.focus();
    }),
    button("No, keep it", "govuk-button--secondary", () => {
      confirming.delete(d.client_uuid);
      problems().catch(() => {});
    }),
  );
  return [warning, box];
}

async function problems() {
  let list = document.getElementById("tc-problems");
  const stuck = (await drafts()).filter((d) => d.problem);
  if (!stuck.length || !app) return list?.remove();
  if (!list) {
    list = document.createElement("ul");
    list.id = "tc-problems";
    list.className = "govuk-list govuk-list--bullet";
    app.append(list);
  }
  list.replaceChildren(
    ...stuck.map((d) => {
      const li = document.createElement("li");
      const name = d.answers["incident.log_ref"] ? `Incident ${d.answers["incident.log_ref"]}` : "An incident started with no signal";
      li.textContent = `${name}: ${WHY[d.problem.status] || "The server refused it. Your answers are kept on this phone: tell your supervisor."} `;
      if (d.id && WHY[d.problem.status]) {
        li.append(Object.assign(document.createElement("a"), { className: "govuk-link", href: `/incidents/${d.id}`, textContent: "Open it" }));
      }
      li.append(...removal(d, name));
      return li;
    }),
  );
}

function show() {
  if (connection) {
    let words = "You have a signal.";
    if (!navigator.onLine) {
      words = "No signal. Screens that read records from the server open again when the signal comes back.";
    } else if (lastRound.signedOut) {
      words = "You are signed out. Sign in again to send what is waiting: it is kept on this phone until then.";
    } else if (lastRound.failed) {
      words = "The server did not answer. What is waiting is kept on this phone and sent when it does.";
    }
    connection.textContent = words;
  }
  const el = box();
  if (el) draw(el, { here: "/offline" });
  problems().catch(() => {});
}

window.addEventListener("online", show);
window.addEventListener("offline", show);
window.addEventListener("tc-outbox", show);
show();
keepSending(show);
// Signed in again in place on a screen (static/js/session.mjs): send what waits now.
if ("BroadcastChannel" in window) new BroadcastChannel("tc-session").onmessage = () => sync().then(show, show);
