// Think Child offline app: where things stand (signal, what is waiting, last sent, what could not
// be sent: status.mjs), and the outbox sent whenever the signal is back (outbox.mjs).
import { keepSending, lastRound } from "/static/js/offline/outbox.mjs";
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
}

window.addEventListener("online", show);
window.addEventListener("offline", show);
window.addEventListener("tc-outbox", show);
show();
keepSending(show);
