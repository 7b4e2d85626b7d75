// Think Child: choose which answers to keep (/offline/conflicts). Drawn here from the encrypted
// drafts that met a newer version on the server (412): per question, what the officer typed
// beside what the server holds (stacked on a phone), a choice for each, or one for all, then
// sent over the version now seen. Nothing is chosen for the officer and nothing goes in the URL.
import { drafts, lastRound, resolve, sync } from "/static/js/offline/outbox.mjs";
import { pick, rows } from "/static/js/offline/choices.mjs";

const root = document.getElementById("tc-conflicts");
const newsArea = document.getElementById("tc-conflicts-news");
const prompts = new Map(); // prompt id -> {label, options: Map(option id -> label)}
const LISTS = { children: "Child", "household.adults": "Adult", "observed.injuries": "Injury" };

async function loadPrompts() {
  try {
    const response = await fetch("/api/v1/prompt-set", { credentials: "same-origin" });
    if (!response.ok) return;
    const walk = (list) => {
      for (const p of list || []) {
        const options = new Map((p.options || []).map((o) => [o.id, o.label]));
        prompts.set(p.id, { label: p.label || p.id, options });
        walk(p.prompts);
      }
    };
    for (const section of (await response.json()).sections || []) walk(section.prompts);
  } catch {
    // No prompt set to hand: the questions are named by their ids.
  }
}

const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

function label(id) {
  return prompts.get(id)?.label || LISTS[id] || id;
}

function shown(id, value) {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) {
    return "Not answered";
  }
  if (value === true) return "Yes";
  if (value === false) return "No";
  const options = prompts.get(id)?.options || new Map();
  if (Array.isArray(value)) {
    if (value.every((v) => v && typeof v === "object")) return value.map((item) => itemWords(item)).join(" | ");
    return value.map((v) => options.get(v) || String(v)).join(", ");
  }
  if (typeof value === "object") return itemWords(value);
  return options.get(value) || String(value);
}

function itemWords(item) {
  return Object.entries(item)
    .filter(([k, v]) => k !== "id" && v !== null && v !== "")
    .map(([k, v]) => `${label(k)}: ${shown(k, v)}`)
    .join("; ");
}

function legend(row, names) {
  if (row.item === null) return label(row.key);
  const who = names.get(row.item) || LISTS[row.key] || label(row.key);
  return row.field === null ? `${who}: the whole entry` : `${who}: ${label(row.field)}`;
}

function value(row, side) {
  if (row.item !== null && row.field === null) {
    const item = row[side];
    if (!item) return side === "mine" ? "Not in what you typed (removed on this phone)" : "Not on the server";
    return itemWords(item) || "Added, nothing answered yet";
  }
  return shown(row.field || row.key, row[side]);
}

// The name of each child or adult, from either version, to say whose answer a row is.
function names(mine, theirs) {
  const out = new Map();
  for (const answers of [theirs, mine]) {
    for (const key of Object.keys(LISTS)) {
      for (const item of Array.isArray(answers[key]) ? answers[key] : []) {
        if (!item || typeof item !== "object") continue;
        const name = Object.entries(item).find(([k, v]) => k.endsWith(".name") && v);
        out.set(item.id, name ? `${LISTS[key]}: ${name[1]}` : LISTS[key]);
      }
    }
  }
  return out;
}

function choiceRow(n, i, row, who) {
  const group = el("div", "govuk-form-group");
  group.id = `c${n}-r${i}`;
  const fieldset = el("fieldset", "govuk-fieldset");
  fieldset.append(el("legend", "govuk-fieldset__legend govuk-fieldset__legend--s", legend(row, who)));
  const radios = el("div", "govuk-radios tc-compare");
  for (const [side, words] of [
    ["mine", "Keep what I typed"],
    ["theirs", "Keep what is on the server"],
  ]) {
    const item = el("div", "govuk-radios__item");
    const input = el("input", "govuk-radios__input");
    Object.assign(input, { type: "radio", name: group.id, value: side, id: `${group.id}-${side}` });
    input.dataset.row = row.id;
    const hint = el("div", "govuk-hint govuk-radios__hint tc-break tc-pre", value(row, side));
    hint.id = `${input.id}-hint`;
    input.setAttribute("aria-describedby", hint.id);
    const lab = el("label", "govuk-label govuk-radios__label", words);
    lab.htmlFor = input.id;
    item.append(input, lab, hint);
    radios.append(item);
  }
  fieldset.append(radios);
  group.append(fieldset);
  return group;
}

function errors(form, missing) {
  form.querySelector(".govuk-error-summary")?.remove();
  for (const g of form.querySelectorAll(".govuk-form-group--error")) {
    g.classList.remove("govuk-form-group--error");
    g.querySelector(".govuk-error-message")?.remove();
  }
  if (!missing.length) return;
  const summary = el("div", "govuk-error-summary");
  summary.tabIndex = -1;
  const alert = el("div");
  alert.setAttribute("role", "alert");
  const list = el("ul", "govuk-list govuk-error-summary__list");
  for (const group of missing) {
    const text = `Choose which answer to keep for: ${group.querySelector("legend").textContent}`;
    const a = el("a", "", text);
    a.href = `#${group.id}-mine`;
    const li = el("li");
    li.append(a);
    list.append(li);
    group.classList.add("govuk-form-group--error");
    const message = el("p", "govuk-error-message", "");
    message.append(el("span", "govuk-visually-hidden", "Error: "), text);
    group.querySelector("legend").after(message);
  }
  const body = el("div", "govuk-error-summary__body");
  body.append(list);
  alert.append(el("h2", "govuk-error-summary__title", "There is a problem"), body);
  summary.append(alert);
  form.prepend(summary);
  summary.focus();
}

async function choose(form, draft) {
  const groups = [...form.querySelectorAll(".govuk-form-group")];
  const missing = groups.filter((g) => !g.querySelector("input:checked"));
  errors(form, missing);
  if (missing.length) return;
  const choice = Object.fromEntries(
    [...form.querySelectorAll("input:checked")].map((input) => [input.dataset.row, input.value]),
  );
  try {
    await resolve(draft.client_uuid, choice);
  } catch {
    // Changed since this page was drawn (typed in another tab): drawn again, nothing chosen.
    return render("This incident changed while you were choosing. Check the questions again.");
  }
  const waiting = await sync();
  const still = waiting.find((d) => d.client_uuid === draft.client_uuid);
  let news = "Your choices have been sent. The server now holds them.";
  if (still?.conflict) news = "The incident changed again on another device. Choose again below.";
  else if (still?.problem) news = "Your choices are saved on this phone, but the server did not accept them.";
  else if (still && lastRound.signedOut) news = "Your choices are saved on this phone. Sign in again to send them.";
  else if (still && navigator.onLine) news = "Your choices are saved on this phone and will be sent when the server answers.";
  else if (still) news = "Your choices are saved on this phone and will be sent when you have a signal.";
  await render(news);
}

function incident(n, draft) {
  const keys = Object.keys(draft.conflict.mine);
  const mine = pick(draft.answers, keys);
  const list = rows(mine, draft.conflict.theirs);
  const who = names(mine, draft.conflict.theirs);
  const form = el("form", "tc-conflict");
  form.noValidate = true;
  const ref = draft.answers["incident.log_ref"];
  form.append(
    el("h2", "govuk-heading-m", ref ? `Incident ${ref}` : "Incident started with no signal"),
    el("p", "govuk-body", list.length === 1 ? "1 answer differs. Choose which to keep." : `${list.length} answers differ. Choose which to keep for each, or the same for all.`),
  );
  const all = el("div", "govuk-button-group");
  for (const [side, words] of [
    ["mine", "Choose what I typed for all"],
    ["theirs", "Choose what is on the server for all"],
  ]) {
    const button = el("button", "govuk-button govuk-button--secondary", words);
    button.type = "button";
    button.addEventListener("click", () => {
      for (const input of form.querySelectorAll(`input[value="${side}"]`)) input.checked = true;
    });
    all.append(button);
  }
  form.append(all, ...list.map((row, i) => choiceRow(n, i, row, who)));
  const send = el("button", "govuk-button", "Send my choices");
  send.type = "submit";
  form.append(send);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send.disabled = true;
    choose(form, draft).finally(() => {
      send.disabled = false;
    });
  });
  return form;
}

async function render(news) {
  const waiting = (await drafts()).filter((d) => d.conflict);
  const parts = [];
  if (newsArea) {
    newsArea.textContent = news;
    newsArea.classList.toggle("govuk-inset-text", Boolean(news));
  }
  if (!waiting.length) parts.push(el("p", "govuk-body", "There is nothing to choose: nothing on this phone is waiting for your choice."));
  waiting.forEach((d, n) => parts.push(incident(n, d)));
  root.replaceChildren(...parts);
}

if (root) {
  await loadPrompts();
  await render("");
}
