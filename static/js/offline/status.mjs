// Think Child: where things stand, on every officer screen and the offline app. Reads the
// outbox's counts (nothing personal) from localStorage: small, drawn at once, never loads the
// outbox itself (the offline app sends). Lines are not live (a page load is not read out); the
// hidden status speaks only on a change, the alert only when there is something to do.
const n = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;
const read = (key) => {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return null;
  }
};

export function describe(user) {
  let s = read("tc-outbox") || {};
  if (user && s.user && s.user !== user) s = {}; // another officer's, wiped when the outbox runs
  const waiting = [s.answers && n(s.answers, "answer"), s.finishing && n(s.finishing, "incident") + " to finish"];
  const line = `${navigator.onLine ? "Online" : "No signal"}: ${waiting.filter(Boolean).join(" and ") || "nothing"} waiting to send.`;
  const sent = localStorage.getItem("tc-last-sync");
  const at = new Date(sent);
  const day = at.toDateString() === new Date().toDateString() ? "" : ` on ${at.toLocaleDateString("en-GB", { day: "numeric", month: "long" })}`;
  const last = sent ? `Last sent${day} at ${at.toLocaleTimeString("en-GB", { timeStyle: "short" })}.` : "";
  const it = (c) => (c === 1 ? "it" : "them");
  const alerts = [];
  if (s.conflicts) {
    alerts.push([`${n(s.conflicts, "incident")} could not be sent: changed on another device meanwhile. Nothing has been overwritten.`, "Choose which answers to keep", "/offline/conflicts"]);
  }
  if (s.problems) {
    alerts.push([`${n(s.problems, "incident")} could not be sent: the server did not accept ${it(s.problems)}. Your answers are kept on this phone.`, "Check the answers", "/offline"]);
  }
  return { line, last, send: navigator.onLine && waiting.some(Boolean), alerts };
}

const link = (textContent, href) => Object.assign(document.createElement("a"), { className: "govuk-link", href, textContent });

export function draw(root, { user = null, here = "" } = {}) {
  const part = (cls, tag, role) => {
    let el = root.querySelector("." + cls);
    if (!el) {
      el = root.appendChild(document.createElement(tag));
      el.className = ({ p: "govuk-body-s ", span: "govuk-visually-hidden " }[tag] || "") + cls;
      if (role) el.setAttribute("role", role);
    }
    return el;
  };
  const now = describe(user);
  const [line, last, news, alert] = [part("tc-sync__line", "p"), part("tc-sync__last", "p"), part("tc-sync__news", "span", "status"), part("tc-sync__alert", "div", "alert")];
  root.classList.toggle("tc-sync--offline", !navigator.onLine);
  if (line.textContent && line.textContent !== now.line) news.textContent = now.line;
  line.textContent = now.line;
  last.replaceChildren(now.last);
  if (now.send && here !== "/offline") last.append(" ", link("Send now", "/offline"));
  const said = JSON.stringify(now.alerts);
  if (alert.dataset.said !== said) {
    alert.dataset.said = said;
    alert.replaceChildren(
      ...now.alerts.map(([text, words, href]) => {
        const p = Object.assign(document.createElement("p"), { className: "govuk-body-s tc-sync__problem", textContent: text });
        if (href !== here) p.append(" ", link(words, href));
        return p;
      }),
    );
  }
}

export function watch(root, options) {
  const redraw = () => draw(root, options);
  for (const name of ["online", "offline", "storage", "tc-outbox"]) window.addEventListener(name, redraw);
  setInterval(redraw, 60000);
  redraw();
}

const bar = document.getElementById("tc-sync");
if (bar) watch(bar, { user: bar.dataset.user });
