// Think Child offline app: shows whether there is a signal. (The capture screens are drawn
// by capture.mjs once the prompt set is cached.)
const status = document.getElementById("tc-connection");

function show() {
  if (!status) return;
  status.textContent = navigator.onLine
    ? "You have a signal."
    : "No signal. Screens that read records from the server open again when the signal comes back.";
}

window.addEventListener("online", show);
window.addEventListener("offline", show);
show();
