// Think Child offline: the mechanics of a screen of questions, shared by the screens
// (capture.mjs) and "Check your answers" (check.mjs): drawing it, keeping each answer as it is
// given (stored at once, encrypted, through the outbox), showing and following conditions, and
// the GOV.UK error summary and inline errors when an answer cannot be kept.
import * as outbox from "/static/js/offline/outbox.mjs";
import { errorSummary, fieldId, h, read } from "/static/js/offline/fields.mjs";
import { prune, validate } from "/static/js/offline/rules.mjs";
import { childIds, placeOf, promptsOf, setAnswer, shows } from "/static/js/offline/screens.mjs";

// The prompt set, and the draft and screen on show: {uuid, draft, screens, n, screen}.
export const state = { ps: null, current: null };

// Changes are stored one after another, in the order they were made; the next screen is drawn
// from the store only once every change before it is there (settled()).
let saving = Promise.resolve();

export function store(uuid, changes) {
  const whole = state.current && state.current.uuid === uuid ? state.current.draft.answers : null;
  const run = saving.then(() => outbox.answer(uuid, changes, whole));
  saving = run.catch(() => {});
  return run;
}

export function settled() {
  return saving;
}

export const screenUrl = (uuid, n, itemId) => `#/i/${uuid}/${n}${itemId ? "/" + itemId : ""}`;

export function show(title, ...content) {
  document.title = `${title} – Think Child`;
  const title_ = document.getElementById("tc-offline-title");
  if (title_) title_.hidden = true;
  // A part with nothing to say (null) is left out, never printed as "null".
  document.getElementById("tc-capture").replaceChildren(...content.filter((c) => c !== null && c !== undefined && c !== false));
  window.scrollTo(0, 0);
}

function pathOf(answers, screen, pid) {
  let path = "";
  if (screen.childId) path = `children[${childIds(answers).indexOf(screen.childId)}].`;
  if (screen.item) {
    const owner = screen.childId ? answers.children.find((c) => c && c.id === screen.childId) : answers;
    const list = owner[screen.item.prompt.id] || [];
    path += `${screen.item.prompt.id}[${list.findIndex((x) => x && x.id === screen.item.id)}].`;
  }
  return path + pid;
}

// Store what is in one prompt's box, if it is a valid answer; the problem with it, if not.
export async function keep(box, p, screen) {
  if (p.type === "repeat" || p.type === "guidance") return null; // lists change by their buttons
  const d = state.current.draft;
  const got = read(state.ps, p, box);
  if (got.error) return got.error;
  const trial = structuredClone(d.answers);
  setAnswer(trial, screen, p.id, got.value);
  const problem = validate(state.ps, prune(state.ps, trial))[pathOf(trial, screen, p.id)];
  if (problem) return problem;
  const before = JSON.stringify(placeOf(d.answers, screen).data[p.id] ?? null);
  if (before === JSON.stringify(got.value)) return null;
  const changes = setAnswer(d.answers, screen, p.id, got.value);
  await store(state.current.uuid, changes);
  return null;
}

function boxes(form) {
  const byId = Object.fromEntries(promptsOf(state.current.screen).map((p) => [p.id, p]));
  return [...form.querySelectorAll(".tc-prompt")].map((box) => [box, byId[box.dataset.prompt]]);
}

export function refresh(container, screen) {
  const shown = prune(state.ps, state.current.draft.answers);
  const { scope } = placeOf(shown, screen);
  for (const box of container.querySelectorAll(".tc-when")) {
    const p = promptsOf(screen).find((q) => q.id === box.dataset.prompt);
    if (p) box.classList.toggle("tc-when--hidden", !shows(p.when, shown, scope));
  }
}

function clearErrors(form) {
  document.querySelector("#tc-capture .govuk-error-summary")?.remove();
  form.querySelectorAll(".govuk-error-message").forEach((e) => e.remove());
  form.querySelectorAll(".govuk-form-group--error").forEach((e) => e.classList.remove("govuk-form-group--error"));
  form.querySelectorAll(".govuk-input--error, .govuk-textarea--error").forEach((e) =>
    e.classList.remove("govuk-input--error", "govuk-textarea--error"));
}

function markError(box, p, text) {
  const id = fieldId(p);
  const groupEl = box.querySelector(".govuk-form-group");
  groupEl.classList.add("govuk-form-group--error");
  const holder = groupEl.querySelector("fieldset") || groupEl;
  const control = [...holder.children].find((c) => c.matches(".govuk-radios, .govuk-checkboxes, .govuk-date-input, input, textarea"));
  const msg = h("p", { id: `${id}-error`, class: "govuk-error-message" }, h("span", { class: "govuk-visually-hidden" }, "Error: "), text);
  holder.insertBefore(msg, control || null);
  box.querySelectorAll("input.govuk-input").forEach((i) => i.classList.add("govuk-input--error"));
  box.querySelectorAll("textarea").forEach((i) => i.classList.add("govuk-textarea--error"));
}

// Every box on the screen stored; the problems with those that show, as the error summary's
// rows (an empty list: all is well).
export async function keepAll(form, screen) {
  clearErrors(form);
  const problems = [];
  for (const [box, p] of boxes(form)) {
    const problem = await keep(box, p, screen);
    if (problem && !box.classList.contains("tc-when--hidden")) problems.push([box, p, problem]);
  }
  refresh(form, screen);
  for (const [box, p, text] of problems) markError(box, p, text);
  if (problems.length) {
    const summary = errorSummary(problems.map(([, p, text]) => ({ href: `#${fieldId(p)}`, text })),
      "Your other answers on this page are saved. What you typed is still here.");
    form.before(summary);
    summary.focus();
  }
  return problems;
}

export function watch(form, screen) {
  let timer = null;
  const save = (event) => {
    const box = event.target.closest(".tc-prompt");
    const p = box && promptsOf(screen).find((q) => q.id === box.dataset.prompt);
    if (p) keep(box, p, screen).then(() => refresh(form, screen));
  };
  form.addEventListener("change", save);
  form.addEventListener("input", (event) => {
    clearTimeout(timer);
    timer = setTimeout(() => save(event), 600);
  });
}

