// Think Child checklist pages: show follow-up questions as their conditions come to hold,
// and say plainly when an answer could not be saved (no signal). No eval, no inline script.

function valueOf(form, id, context) {
  const box = form.querySelector(`[data-prompt="${CSS.escape(id)}"]`);
  if (!box) return context[id];
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

function answered(value) {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

function holds(check, form, context) {
  const value = valueOf(form, check.prompt, context);
  if ("answered" in check) return answered(value) === check.answered;
  const wanted = "equals" in check ? [check.equals] : check.in;
  if (!answered(value)) return false;
  return Array.isArray(value) ? value.some((v) => wanted.includes(v)) : wanted.includes(value);
}

function visible(when, form, context) {
  if (when.all) return when.all.every((c) => holds(c, form, context));
  if (when.any) return when.any.some((c) => holds(c, form, context));
  return holds(when, form, context);
}

function refresh(form) {
  for (const box of form.querySelectorAll(".tc-when")) {
    const when = JSON.parse(box.dataset.when);
    const context = JSON.parse(box.dataset.context || "{}");
    box.classList.toggle("tc-when--hidden", !visible(when, form, context));
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
