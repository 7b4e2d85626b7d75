// Think Child checklist pages: show follow-up questions as their conditions come to hold,
// and say plainly when an answer could not be saved (no signal). No eval, no inline script.

function valueOf(form, id, context) {
  const box = form.querySelector(`[data-prompt="${CSS.escape(id)}"]`);
  if (!box) return lookupIn(context, null, id);
  const type = box.dataset.type;
  const inputs = [...box.querySelectorAll(`[name="${CSS.escape(id)}"]`)];
  if (type === "yesno") {
    const on = inputs.find((i) => i.checked);
    return on ? on.value === "yes" : undefined;
  }
  if (type === "choice") {
    const on = inputs.find((i) => i.checked);
    return on ? on.value : undefined;
  }
  if (type === "multi") {
    const on = inputs.filter((i) => i.checked).map((i) => i.value);
    return on.length ? on : undefined;
  }
  const text = inputs.length ? inputs[0].value.trim() : "";
  return text === "" ? undefined : text;
}

// As `has_answer` in app/checklist/answers/values.py: no answer is null, blank text or [].
function answered(value) {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return value.trim() !== "";
  return !(Array.isArray(value) && value.length === 0);
}

// Each child's answer to a per-child prompt, looked up from the top level: a condition on it
// holds when it holds for any child.
class EachChild {
  constructor(values) { this.values = values; }
}

const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

// The answer to `id` as app/checklist/answers/visibility.py `lookup` finds it: in `item` (a
// repeat item) if it is there, else at the top level of `answers`; from the top level, a prompt
// not answered there but answered by some child is each child's answer.
export function lookupIn(answers, item, id) {
  if (item && has(item, id)) return item[id];
  if (has(answers, id) || item) return answers[id];
  const children = Array.isArray(answers.children) ?
    answers.children.filter((c) => c !== null && typeof c === "object" && !Array.isArray(c)) : [];
  if (children.some((c) => has(c, id))) return new EachChild(children.map((c) => c[id]));
  return undefined;
}

function holdsFor(check, value) {
  if ("answered" in check) return answered(value) === check.answered;
  const wanted = "equals" in check ? [check.equals] : check.in;
  if (!answered(value)) return false;
  const chosen = Array.isArray(value) ? value : [value];  // a multi: any option selected
  return chosen.some((v) => wanted.includes(v));  // strict: true is not 1
}

function holds(check, lookup) {
  const value = lookup(check.prompt);
  if (value instanceof EachChild) return value.values.some((v) => holdsFor(check, v));
  return holdsFor(check, value);
}

// Does a `when` condition hold? `lookup(id)` gives the answer to a prompt. The same rules as
// `is_visible` in app/checklist/answers/visibility.py (tests/checklist/conditions.json).
export function visible(when, lookup) {
  if (when.all) return when.all.every((c) => holds(c, lookup));
  if (when.any) return when.any.some((c) => holds(c, lookup));
  if (when.none) return !when.none.some((c) => holds(c, lookup));
  return holds(when, lookup);
}

function refresh(form) {
  for (const box of form.querySelectorAll(".tc-when")) {
    const when = JSON.parse(box.dataset.when);
    const context = JSON.parse(box.dataset.context || "{}");
    box.classList.toggle("tc-when--hidden", !visible(when, (id) => valueOf(form, id, context)));
  }
}

function say(form, text) {
  const status = form.querySelector("#save-status");
  if (status) {
    status.replaceChildren(Object.assign(document.createElement("p"), {
      className: "govuk-body-s govuk-error-message", textContent: text,
    }));
  }
}

const NO_SIGNAL = "Not saved: no signal. What you typed is still on this page. " +
  "It will be saved when you next change an answer or press Save and continue with signal.";

const NOT_SAVED = "Not saved. What you typed is still on this page: " +
  "press Save and continue to save it.";

for (const form of document.querySelectorAll("form.tc-screen-form")) {
  refresh(form);
  form.addEventListener("change", () => refresh(form));
  form.addEventListener("input", () => refresh(form));
  form.addEventListener("htmx:sendError", () => say(form, NO_SIGNAL));
  form.addEventListener("htmx:timeout", () => say(form, NO_SIGNAL));
  form.addEventListener("htmx:responseError", () => say(form, NOT_SAVED));
  form.addEventListener("submit", (event) => {
    if (!navigator.onLine) {  // keep the page (and what was typed) rather than a browser error
      event.preventDefault();
      say(form, NO_SIGNAL);
      return;
    }
    // The page is sending everything now: an autosave still waiting to go would only race it.
    form.dataset.leaving = "1";
  });
  form.addEventListener("htmx:beforeRequest", (event) => {
    if (form.dataset.leaving) event.preventDefault();
  });
  // Coming back to this page from the browser's history: autosave again.
  window.addEventListener("pageshow", () => { delete form.dataset.leaving; });
}
