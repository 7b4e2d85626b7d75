// Think Child offline app: where things stand (signal, what is waiting, last sent, what could not
// be sent: status.mjs), and the outbox sent whenever the signal is back (outbox.mjs).
import { drafts, keepSending, lastRound, sync } from "/static/js/offline/outbox.mjs";
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
