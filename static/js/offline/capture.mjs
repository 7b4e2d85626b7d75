// Think Child offline capture: start an incident and answer every prompt with no signal. The
// page (/offline) is the same for everyone and holds nothing personal; the place is in the URL
// fragment as the draft's client UUID and a screen number (#/i/<uuid>/<n>, an item of a list
// on that screen: #/i/<uuid>/<n>/<item id>). Each answer is stored at once, encrypted, through
// the outbox (outbox.mjs), which sends it when there is a signal.
import * as outbox from "/static/js/offline/outbox.mjs";
import { field, fieldId, h } from "/static/js/offline/fields.mjs";
import { keepAll, screenUrl, settled, show, state, store, watch } from "/static/js/offline/form.mjs";
import { maxItems, prune, tooMany } from "/static/js/offline/rules.mjs";
import {
  addItem, capital, childIds, flow, placeOf, promptsOf, removeItem, screenOfPath, shows, titleOf,
} from "/static/js/offline/screens.mjs";
import { missing } from "/static/js/offline/required.mjs";
import { drawCheck, drawClose, drawQueued } from "/static/js/offline/check.mjs";
import { placeOfPath, screenNumber } from "/static/js/offline/paths.mjs";
import { promptSet } from "/static/js/offline/questions.mjs";

const root = document.getElementById("tc-capture");
const pageTitle = document.getElementById("tc-offline-title");
const fallback = document.getElementById("tc-offline-fallback");
let ps = null;
let current = null; // {uuid, draft, screens, n, screen}

function back(href) {
  return h("a", { href, class: "govuk-back-link" }, "Back");
}

// Where to pick a draft up: the first screen with a required answer missing, else the check.
function resumeUrl(d) {
  if (!ps || !Object.keys(d.answers).length) return screenUrl(d.client_uuid, 0);
  const screens = flow(ps, d.answers);
  const first = missing(ps, d.answers)[0];
  const n = first === undefined ? screens.length - 1 : screenOfPath(ps, d.answers, screens, first);
  return screenUrl(d.client_uuid, Math.max(n, 0));
}

async function home() {
  ps = ps || (await promptSet());
  state.ps = ps;
  if (!ps) return noQuestions();
  if (pageTitle) pageTitle.hidden = false;
  document.title = "Think Child with no signal – Think Child";
  const start = h("button", { type: "button", class: "govuk-button", "data-module": "govuk-button" }, "Start an incident");
  start.addEventListener("click", async () => {
    const uuid = await outbox.start();
    location.hash = screenUrl(uuid, 0);
  });
  const waiting = (await outbox.drafts()).map((d) => {
    const ref = typeof d.answers["incident.log_ref"] === "string" && d.answers["incident.log_ref"].trim();
    const name = h("span", { class: "govuk-visually-hidden" }, ` ${ref || "incident"}`);
    // Changed on another device meanwhile: nothing is sent until the officer chooses which
    // answers to keep (conflict.mjs, /offline/conflicts).
    const state = d.conflict ? "Changed on another device: needs your choice"
      : d.problem ? "Not accepted: answers needed" : d.submit ? "Submitted: waiting to send"
      : d.close_reason ? "Closed: waiting to send" : "Draft";
    const action = d.conflict ? h("a", { class: "govuk-link", href: "/offline/conflicts" }, "Choose which answers to keep", name)
      : (d.submit && !d.problem) || d.close_reason ? "" : h("a", { class: "govuk-link", href: resumeUrl(d) }, "Continue", name);
    return h("div", { class: "govuk-summary-list__row" },
      h("dt", { class: "govuk-summary-list__key tc-break" }, ref || "Incident without a number yet"),
      h("dd", { class: "govuk-summary-list__value" }, state),
      h("dd", { class: "govuk-summary-list__actions" }, action));
  });
  root.replaceChildren(
    h("p", { class: "govuk-body" }, "You can record an incident here with no signal. Your answers stay on this phone, locked, until there is a signal: then they are sent and removed from the phone."),
    start,
    h("h2", { class: "govuk-heading-m" }, "Incidents on this phone"),
    waiting.length ? h("dl", { class: "govuk-summary-list" }, waiting)
      : h("p", { class: "govuk-body" }, "None waiting."));
}

function noQuestions() {
  show("Think Child with no signal",
    h("h1", { class: "govuk-heading-l" }, "The questions are not on this phone yet"),
    h("p", { class: "govuk-body" }, "Sign in once with a signal, then you can record incidents here with no signal."),
    h("p", { class: "govuk-body" }, "Until then, write your notes down and enter them when you have a signal."));
}

function olderQuestions() {
  show("Started with earlier questions",
    h("h1", { class: "govuk-heading-l" }, "This incident was started with an earlier set of questions"),
    h("p", { class: "govuk-body" }, "It can only be carried on with a signal. Nothing you saved is lost: it is on the server."),
    h("p", { class: "govuk-body" }, h("a", { class: "govuk-link", href: "/offline" }, "Back to incidents on this phone")));
}

function listBlock(p, screen, uuid, n) {
  const owner = placeOf(current.draft.answers, screen).data;
  const list = (Array.isArray(owner[p.id]) ? owner[p.id] : []).filter((x) => x && x.id);
  const first = p.prompts[0];
  const rows = list.map((item, i) => {
    const label = `${p.item_label} ${i + 1}`;
    const remove = h("button", { type: "button", class: "tc-link-button govuk-link" }, "Remove", h("span", { class: "govuk-visually-hidden" }, ` ${label}`));
    remove.addEventListener("click", () => confirmRemove(capital(label), item[first.id], async () => {
      await store(uuid, removeItem(current.draft.answers, screen, p, item.id));
    }));
    return h("div", { class: "govuk-summary-list__row" },
      h("dt", { class: "govuk-summary-list__key" }, capital(label)),
      h("dd", { class: "govuk-summary-list__value tc-break" }, item[first.id] || "Not finished"),
      h("dd", { class: "govuk-summary-list__actions" }, h("ul", { class: "govuk-summary-list__actions-list" },
        h("li", { class: "govuk-summary-list__actions-list-item" }, h("a", { class: "govuk-link", href: screenUrl(uuid, n, item.id) }, "Change", h("span", { class: "govuk-visually-hidden" }, ` ${label}`))),
        h("li", { class: "govuk-summary-list__actions-list-item" }, remove))));
  });
  const full = list.length >= maxItems(ps, p.id);
  const add = h("button", { type: "button", class: "govuk-button govuk-button--secondary", "data-module": "govuk-button" },
    `Add ${list.length ? "another" : /^[aeiou]/.test(p.item_label) ? "an" : "a"} ${p.item_label}`);
  add.addEventListener("click", async () => {
    const made = addItem(current.draft.answers, screen, p);
    await store(uuid, made.changes);
    location.hash = screenUrl(uuid, n, made.id);
  });
  return h("div", { class: "govuk-form-group", id: fieldId(p) },
    h("h2", { class: "govuk-heading-m" }, p.label),
    p.hint ? h("p", { class: "govuk-hint" }, p.hint) : null,
    rows.length ? h("dl", { class: "govuk-summary-list" }, rows) : h("p", { class: "govuk-body" }, "None added yet."),
    full ? h("p", { class: "govuk-body" }, tooMany(ps, p.id, p.label)) : add);
}

export function confirmRemove(what, name, done) {
  const yes = h("button", { type: "button", class: "govuk-button govuk-button--warning", "data-module": "govuk-button" }, `Yes, remove ${what.toLowerCase()}`);
  const no = h("button", { type: "button", class: "govuk-button govuk-button--secondary", "data-module": "govuk-button" }, "No, keep it");
  yes.addEventListener("click", async () => { await done(); route(); });
  no.addEventListener("click", () => route());
  show(`Remove ${what}`,
    h("h1", { class: "govuk-heading-l" }, `Are you sure you want to remove ${what.toLowerCase()}${name ? ` (${name})` : ""}?`),
    h("p", { class: "govuk-body" }, "Their answers will be deleted from this incident."),
    h("div", { class: "govuk-button-group" }, yes, no));
}

function drawScreen(uuid, n, screen, nextHref, backHref) {
  const answers = current.draft.answers;
  const { data } = placeOf(answers, screen);
  const shown = prune(ps, answers);
  const scope = placeOf(shown, screen).scope;
  const form = h("form", { novalidate: true, class: "tc-screen-form" });
  for (const p of promptsOf(screen)) {
    const box = p.type === "repeat" ? h("div", { class: `tc-prompt${p.when ? " tc-when" : ""}`, "data-prompt": p.id, "data-type": "repeat" }, listBlock(p, screen, uuid, n))
      : field(p, data[p.id], null);
    if (p.when && !shows(p.when, shown, scope)) box.classList.add("tc-when--hidden");
    form.append(box);
  }
  const go = h("button", { type: "submit", class: "govuk-button", "data-module": "govuk-button" }, "Save and continue");
  form.append(h("p", { class: "govuk-body-s", role: "status" }, "Your answers are kept on this phone as you go, and sent when there is a signal."), go);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problems = await keepAll(form, screen);
    if (!problems.length) location.hash = nextHref();
  });
  watch(form, screen);
  const intro = screen.section.intro && !screen.item ? h("p", { class: "govuk-body" }, screen.section.intro) : null;
  show(titleOf(answers, screen), back(backHref),
    h("span", { class: "govuk-caption-l" }, `Step ${n + 1} of ${current.screens.length}`),
    h("h1", { class: "govuk-heading-l" }, titleOf(answers, screen)), intro, form);
}

function drawChildren(uuid, n) {
  const answers = current.draft.answers;
  const screen = current.screen;
  const ids = childIds(answers);
  const rows = ids.map((id, i) => {
    const kid = answers.children.find((c) => c && c.id === id);
    const label = `Child ${i + 1}`;
    const at = current.screens.findIndex((s) => s.kind === "section" && s.section === screen.section && s.childId === id);
    const remove = h("button", { type: "button", class: "tc-link-button govuk-link" }, "Remove", h("span", { class: "govuk-visually-hidden" }, ` ${label}`));
    remove.addEventListener("click", () => confirmRemove(label, kid["child.name"], async () => {
      await store(uuid, removeItem(answers, screen, null, id));
    }));
    return h("div", { class: "govuk-summary-list__row" },
      h("dt", { class: "govuk-summary-list__key" }, label),
      h("dd", { class: "govuk-summary-list__value tc-break" }, kid["child.name"] || "Not finished"),
      h("dd", { class: "govuk-summary-list__actions" }, h("ul", { class: "govuk-summary-list__actions-list" },
        h("li", { class: "govuk-summary-list__actions-list-item" }, h("a", { class: "govuk-link", href: screenUrl(uuid, at) }, "Change", h("span", { class: "govuk-visually-hidden" }, ` ${label}`))),
        h("li", { class: "govuk-summary-list__actions-list-item" }, remove))));
  });
  const full = ids.length >= maxItems(ps, "children");
  const add = h("button", { type: "button", class: "govuk-button govuk-button--secondary", "data-module": "govuk-button" }, ids.length ? "Add another child" : "Add a child");
  add.addEventListener("click", async () => {
    const made = addItem(answers, screen, null);
    await store(uuid, made.changes);
    const screens = flow(ps, answers);
    location.hash = screenUrl(uuid, screens.findIndex((s) => s.childId === made.id));
  });
  const after = current.screens.findLastIndex((s) => s.section === screen.section) + 1;
  const next = h("a", { class: "govuk-button", href: screenUrl(uuid, after), role: "button", draggable: "false", "data-module": "govuk-button" }, "Continue");
  show(screen.section.title, back(screenUrl(uuid, Math.max(n - 1, 0))),
    h("span", { class: "govuk-caption-l" }, `Step ${n + 1} of ${current.screens.length}`),
    h("h1", { class: "govuk-heading-l" }, screen.section.title),
    screen.section.intro ? h("p", { class: "govuk-body" }, screen.section.intro) : null,
    rows.length ? h("dl", { class: "govuk-summary-list" }, rows) : h("p", { class: "govuk-body" }, "No children added yet."),
    full ? h("p", { class: "govuk-body" }, tooMany(ps, "children", screen.section.title)) : add,
    h("div", { class: "govuk-button-group" }, next));
}

// Opened with no signal at an online screen's address (the service worker's fallback): that
// incident's draft, if this phone keeps it, at the same screen (else where it was left).
async function fromPath() {
  const place = placeOfPath(location.pathname);
  ps = ps || (await promptSet());
  const d = place && ps && (await outbox.drafts()).find((x) => x.id === place.incident);
  if (!d) return false;
  const at = !d.version || d.version === ps.version ? screenNumber(ps, flow(ps, d.answers), place) : null;
  history.replaceState(null, "", "/offline" + (at ? screenUrl(d.client_uuid, at.n, at.itemId) : resumeUrl(d)));
  return true;
}

export async function route() {
  if (!root) return;
  if (fallback) fallback.hidden = true;
  if (location.pathname.startsWith("/incidents/") && (await fromPath())) return route();
  const m = location.hash.match(/^#\/i\/([0-9a-f-]{36})\/(\d+)(?:\/([0-9a-f-]{36}))?$/);
  if (!m) return home();
  ps = ps || (await promptSet());
  state.ps = ps;
  if (!ps) return noQuestions();
  const [, uuid, number, itemId] = m;
  await settled();
  const draft = await outbox.draft(uuid);
  if (!draft) {
    return show("Sent", h("h1", { class: "govuk-heading-l" }, "This incident has been sent"),
      h("p", { class: "govuk-body" }, "Its answers are on the server and no longer on this phone. With a signal, carry on from ",
        h("a", { class: "govuk-link", href: "/incidents" }, "your incidents"), "."),
      h("p", { class: "govuk-body" }, h("a", { class: "govuk-link", href: "/offline" }, "Back to incidents on this phone")));
  }
  if (draft.version && draft.version !== ps.version) return olderQuestions();
  const screens = flow(ps, draft.answers);
  const n = Math.min(Number(number), screens.length - 1);
  current = { uuid, draft, screens, n, screen: screens[n] };
  state.current = current;
  if ((draft.submit || draft.close_reason) && !draft.problem) return drawQueued(draft);
  if (draft.close_reason) return drawQueued(draft);
  const prev = screenUrl(uuid, Math.max(n - 1, 0));
  if (itemId) {
    const p = promptsOf(screens[n]).find((q) => q.type === "repeat" &&
      (placeOf(draft.answers, screens[n]).data[q.id] || []).some((x) => x && x.id === itemId));
    if (!p) return (location.hash = screenUrl(uuid, n));
    current.screen = { ...screens[n], kind: "item", item: { prompt: p, id: itemId } };
    return drawScreen(uuid, n, current.screen, () => screenUrl(uuid, n), screenUrl(uuid, n));
  }
  const screen = screens[n];
  if (screen.kind === "children") return drawChildren(uuid, n);
  if (screen.kind === "check") return drawCheck(ps, current);
  if (screen.kind === "close") return drawClose(ps, current);
  const nextHref = () => {
    const again = flow(ps, draft.answers); // an answer may add or drop screens after this one
    if (screen.section.id === "child") return screenUrl(uuid, again.findIndex((s) => s.kind === "children"));
    const here = again.findIndex((s) => s.section === screen.section && s.childId === screen.childId);
    return screenUrl(uuid, Math.min(here + 1, again.length - 1));
  };
  return drawScreen(uuid, n, screen, nextHref, prev);
}

if (root) {
  window.addEventListener("hashchange", () => route());
  route();
}
