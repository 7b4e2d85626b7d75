// Think Child offline: one prompt's GOV.UK Frontend form field, drawn in the browser with the
// same markup and classes as templates/checklist/_field.html, and its value read back the way
// app/checklist/forms.py reads a posted form. Built with DOM calls: no typed text is ever HTML.
import { message } from "/static/js/offline/rules.mjs";

// An element: h("p", {class: "govuk-body"}, "words", child, ...). Attributes with null or false
// are left out.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "checked" || k === "hidden") el[k] = Boolean(v);
    else if (k === "value") el.value = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export const fieldId = (p, prefix = "f") => `${prefix}-${p.id.replace(/\./g, "-")}`;

function errorMessage(id, text) {
  return h("p", { id: `${id}-error`, class: "govuk-error-message" },
    h("span", { class: "govuk-visually-hidden" }, "Error: "), text);
}

function hintOf(id, text) {
  return text ? h("div", { id: `${id}-hint`, class: "govuk-hint" }, text) : null;
}

function describedBy(id, hint, error) {
  return [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || null;
}

function group(error, ...children) {
  return h("div", { class: `govuk-form-group${error ? " govuk-form-group--error" : ""}` }, ...children);
}

function fieldset(id, p, hint, error, ...children) {
  return h("fieldset", { class: "govuk-fieldset", "aria-describedby": describedBy(id, hint, error) },
    h("legend", { class: "govuk-fieldset__legend govuk-fieldset__legend--s" }, p.label),
    hintOf(id, hint), error ? errorMessage(id, error) : null, ...children);
}

function radios(id, p, items, hint, error, inline) {
  const list = items.map((o, i) => {
    const itemId = i === 0 ? id : `${id}-${i + 1}`;
    return h("div", { class: "govuk-radios__item" },
      h("input", { class: "govuk-radios__input", id: itemId, name: p.id, type: "radio", value: o.value, checked: o.checked }),
      h("label", { class: "govuk-label govuk-radios__label", for: itemId }, o.text));
  });
  const box = h("div", { class: `govuk-radios${inline ? " govuk-radios--inline" : ""}`, "data-module": "govuk-radios" }, list);
  return group(error, fieldset(id, p, hint, error, box));
}

function checkboxes(id, p, chosen, hint, error) {
  const list = [];
  p.options.forEach((o, i) => {
    const itemId = i === 0 ? id : `${id}-${i + 1}`;
    if (o.id === p.exclusive) list.push(h("div", { class: "govuk-checkboxes__divider" }, "or"));
    list.push(h("div", { class: "govuk-checkboxes__item" },
      h("input", {
        class: "govuk-checkboxes__input", id: itemId, name: p.id, type: "checkbox", value: o.id,
        checked: chosen.includes(o.id), "data-behaviour": o.id === p.exclusive ? "exclusive" : null,
      }),
      h("label", { class: "govuk-label govuk-checkboxes__label", for: itemId }, o.label)));
  });
  const box = h("div", { class: "govuk-checkboxes", "data-module": "govuk-checkboxes" }, list);
  // "None of these" and the other options exclude each other, as GOV.UK Frontend's checkboxes do.
  box.addEventListener("click", (event) => {
    const ticked = event.target;
    if (!(ticked instanceof HTMLInputElement) || !ticked.checked) return;
    const exclusive = ticked.dataset.behaviour === "exclusive";
    for (const other of box.querySelectorAll("input")) {
      if (other !== ticked && (exclusive || other.dataset.behaviour === "exclusive")) other.checked = false;
    }
  });
  return group(error, fieldset(id, p, hint || "Select all that apply.", error, box));
}

function textInput(id, p, value, hint, error, extra = {}) {
  const multiline = p.type === "text";
  const control = h(multiline ? "textarea" : "input", {
    class: `${multiline ? "govuk-textarea" : "govuk-input"}${error ? (multiline ? " govuk-textarea--error" : " govuk-input--error") : ""}${extra.classes ? " " + extra.classes : ""}`,
    id, name: p.id, type: multiline ? null : "text", rows: multiline ? "5" : null,
    autocomplete: "off", spellcheck: multiline ? "true" : null, inputmode: extra.inputmode || null,
    "aria-describedby": describedBy(id, hint, error),
  });
  control.value = value ?? "";
  return group(error, h("label", { class: "govuk-label govuk-label--s", for: id }, p.label),
    hintOf(id, hint), error ? errorMessage(id, error) : null, control);
}

function dateParts(id, p, parts, error, withTime) {
  const item = (name, label, width) => h("div", { class: "govuk-date-input__item" },
    h("div", { class: "govuk-form-group" },
      h("label", { class: "govuk-label govuk-date-input__label", for: `${id}-${name}` }, label),
      h("input", {
        class: `govuk-input govuk-date-input__input govuk-input--width-${width}${error ? " govuk-input--error" : ""}`,
        id: `${id}-${name}`, name: `${p.id}-${name}`, type: "text", inputmode: "numeric", value: parts[name] || "",
      })));
  const date = h("div", { class: "govuk-date-input", id }, item("day", "Day", 2), item("month", "Month", 2), item("year", "Year", 4));
  const hint = `${p.hint ? p.hint + " " : ""}${withTime ? "For example, 27 3 2026 and 14:30" : "For example, 27 3 2019"}`;
  const time = withTime ? h("div", { class: "govuk-form-group govuk-!-margin-top-4" },
    h("label", { class: "govuk-label", for: `${id}-time` }, "Time (24-hour clock)"),
    h("input", {
      class: `govuk-input govuk-input--width-5${error ? " govuk-input--error" : ""}`, id: `${id}-time`,
      name: `${p.id}-time`, type: "text", inputmode: "numeric", autocomplete: "off", value: parts.time || "",
    })) : null;
  const box = fieldset(id, p, hint, error, date, time);
  box.setAttribute("role", "group");
  return group(error, box);
}

// The parts of a stored date or date and time, to show in the boxes (UK time).
function partsOf(p, value) {
  if (typeof value !== "string") return {};
  const m = value.match(/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/);
  if (!m) return {};
  return { year: m[1], month: String(Number(m[2])), day: String(Number(m[3])), time: m[4] ? `${m[4]}:${m[5]}` : "" };
}

// A prompt's field, in a box that names its prompt and type (and, when it has one, its
// condition: shown or hidden as the answers change).
export function field(p, value, error, prefix = "f") {
  const id = fieldId(p, prefix);
  const box = h("div", { class: `tc-prompt${p.when ? " tc-when" : ""}`, "data-prompt": p.id, "data-type": p.type });
  if (p.type === "guidance") {
    box.className = `tc-guidance${p.when ? " tc-when" : ""}`;
    box.append(h("div", { class: "govuk-inset-text" }, h("h2", { class: "govuk-heading-s" }, p.label), h("p", { class: "govuk-body" }, p.guidance)));
    return box;
  }
  if (p.guidance) {
    box.append(h("div", { class: "govuk-warning-text" },
      h("span", { class: "govuk-warning-text__icon", "aria-hidden": "true" }, "!"),
      h("strong", { class: "govuk-warning-text__text" }, h("span", { class: "govuk-visually-hidden" }, "Important"), p.guidance)));
  }
  const hint = p.hint || null;
  if (p.type === "yesno") {
    box.append(radios(id, p, [{ value: "yes", text: "Yes", checked: value === true }, { value: "no", text: "No", checked: value === false }], hint, error, true));
  } else if (p.type === "choice") {
    box.append(radios(id, p, p.options.map((o) => ({ value: o.id, text: o.label, checked: value === o.id })), hint, error, false));
  } else if (p.type === "multi") {
    box.append(checkboxes(id, p, Array.isArray(value) ? value : [], hint, error));
  } else if (p.type === "text" || p.type === "short") {
    box.append(textInput(id, p, typeof value === "string" ? value : "", hint, error));
  } else if (p.type === "number") {
    box.append(textInput(id, p, typeof value === "number" ? String(value) : "", hint, error, { inputmode: "decimal", classes: "govuk-input--width-4" }));
  } else if (p.type === "date" || p.type === "datetime") {
    box.append(dateParts(id, p, partsOf(p, value), error, p.type === "datetime"));
  }
  return box;
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const TIME = /^(\d{1,2})[:.](\d{2})$/;

function ukOffset(y, m, d, hour, minute) {
  const guess = new Date(Date.UTC(y, m - 1, d, hour, minute));
  const name = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", timeZoneName: "longOffset" })
    .formatToParts(guess).find((x) => x.type === "timeZoneName").value;
  const off = name.replace("GMT", "") || "+00:00";
  return off.length === 3 ? `${off}:00` : off;
}

const pad = (s, n) => String(s).padStart(n, "0");

// What the officer has put in a prompt's box: {value} (null for nothing), or {error} when it
// cannot be read as an answer at all (the server's words for it, from the prompt set).
export function read(ps, p, box) {
  const named = (name) => [...box.querySelectorAll(`[name="${CSS.escape(name)}"]`)];
  const text = (name) => (named(name)[0]?.value ?? "").trim();
  if (p.type === "yesno") {
    const on = named(p.id).find((i) => i.checked);
    return { value: on ? on.value === "yes" : null };
  }
  if (p.type === "choice") return { value: named(p.id).find((i) => i.checked)?.value ?? null };
  if (p.type === "multi") {
    const on = named(p.id).filter((i) => i.checked).map((i) => i.value);
    return { value: on.length ? on : null };
  }
  if (p.type === "text" || p.type === "short") return { value: text(p.id) || null };
  if (p.type === "number") {
    const raw = text(p.id);
    if (!raw) return { value: null };
    if (!NUMBER.test(raw)) return { error: message(ps, "number", p) };
    return { value: Number(raw) };
  }
  if (p.type === "date" || p.type === "datetime") {
    const [d, m, y] = ["day", "month", "year"].map((n) => text(`${p.id}-${n}`));
    const time = p.type === "datetime" ? text(`${p.id}-time`) : "";
    if (!d && !m && !y && !time) return { value: null };
    const kind = p.type;
    if (![d, m, y].every((x) => /^\d+$/.test(x)) || y.length !== 4) return { error: message(ps, kind, p) };
    const day = `${y}-${pad(m, 2)}-${pad(d, 2)}`;
    if (kind === "date") return { value: day };
    const t = time.match(TIME);
    if (!t || Number(t[1]) > 23 || Number(t[2]) > 59) return { error: message(ps, kind, p) };
    const at = `${pad(t[1], 2)}:${t[2]}`;
    const offset = /^\d{4}-\d{2}-\d{2}$/.test(day) ? ukOffset(Number(y), Number(m), Number(d), Number(t[1]), Number(t[2])) : "+00:00";
    return { value: `${day}T${at}:00${offset}` };
  }
  return { value: null };
}

// The GOV.UK error summary: [{href, text}] linking to each field with a problem. The links
// move the focus to the field (the URL fragment is the screen's place, so it is not changed).
export function errorSummary(errors, description) {
  const summary = h("div", { class: "govuk-error-summary", "data-module": "govuk-error-summary", tabindex: "-1" },
    h("div", { role: "alert" },
      h("h2", { class: "govuk-error-summary__title" }, "There is a problem"),
      h("div", { class: "govuk-error-summary__body" },
        description ? h("p", { class: "govuk-body" }, description) : null,
        h("ul", { class: "govuk-list govuk-error-summary__list" },
          errors.map((e) => h("li", {}, h("a", { href: e.href }, e.text)))))));
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    const target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    // A date links to its day box, a list to its first button (as GOV.UK's summary does).
    const input = target.matches("input, textarea, button") ? target : target.querySelector("input, textarea, button");
    (input || target).scrollIntoView({ block: "center" });
    (input || target).focus();
  });
  return summary;
}
