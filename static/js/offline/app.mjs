// Think Child offline app: where things stand (signal, what is waiting, last sent, conflicts),
// and the outbox sent whenever the signal is back (outbox.mjs).
import { keepSending, sync } from "/static/js/offline/outbox.mjs";

const status = document.getElementById("tc-connection");
const app = document.getElementById("tc-offline-app");

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function show(waiting = []) {
  if (status) {
    status.textContent = navigator.onLine
      ? "You have a signal."
      : "No signal. Screens that read records from the server open again when the signal comes back.";
  }
  if (!app || !Array.isArray(waiting)) return;
  const conflicts = waiting.filter((d) => d.conflict).length;
  const last = localStorage.getItem("tc-last-sync");
  const lines = [
    `${plural(waiting.length, "incident")} waiting to send.`,
    last ? `Last sent: ${new Date(last).toLocaleString("en-GB")}.` : "",
    conflicts ? `${plural(conflicts, "incident")} could not be sent: it was changed on another device. Nothing has been overwritten.` : "",
  ].filter(Boolean);
  let summary = document.getElementById("tc-outbox");
  if (!summary) {
    summary = document.createElement("p");
    summary.id = "tc-outbox";
    summary.className = "govuk-body";
    summary.setAttribute("role", "status");
    app.append(summary);
  }
  summary.textContent = lines.join(" ");
}

window.addEventListener("online", () => show());
window.addEventListener("offline", () => show());
show();
keepSending(show);
// Signed in again in place on a screen (static/js/session.mjs): send what waits now.
if ("BroadcastChannel" in window) new BroadcastChannel("tc-session").onmessage = () => sync().then(show, show);
