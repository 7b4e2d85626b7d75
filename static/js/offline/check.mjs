// Think Child offline: "Check your answers" (every answer by screen, what is still needed, the
// suggested grade with its reasons (grade.mjs), the officer's grade and declaration, and
// Submit), closing a no-child incident with its reason, and what the officer sees once either
// is queued to send.
import * as outbox from "/static/js/offline/outbox.mjs";
import { errorSummary, field, fieldId, h } from "/static/js/offline/fields.mjs";
import { hasAnswer, indexOf, message, prune, validate } from "/static/js/offline/rules.mjs";
import { needed as stillRequired, suggestion } from "/static/js/offline/required.mjs";
import { suggestedGrade } from "/static/js/offline/grade.mjs";
import { CHECK_SECTIONS, capital, placeOf, promptsOf, screenOfPath, shows, titleOf } from "/static/js/offline/screens.mjs";
import { keepAll, refresh, screenUrl, settled, show, watch } from "/static/js/offline/form.mjs";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];

function words(p, value) {
  if (!hasAnswer(value)) return "Not answered";
  const label = (id) => (p.options || []).find((o) => o.id === id)?.label ?? id;
  if (p.type === "yesno") return value === true ? "Yes" : value === false ? "No" : String(value);
  if (p.type === "choice") return label(value);
  if (p.type === "multi") return Array.isArray(value) ? value.map(label).join(", ") : String(value);
  if (p.type === "repeat") return Array.isArray(value) ? `${value.length} added` : "Not answered";
  if (p.type === "date" || p.type === "datetime") {
    const m = String(value).match(/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}))?/);
    if (!m) return String(value);
    const day = `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
    return m[4] ? `${day} at ${m[4]}` : day;
  }
  return String(value);
}

function row(label, value, href) {
  return h("div", { class: "govuk-summary-list__row" },
    h("dt", { class: "govuk-summary-list__key" }, label),
    h("dd", { class: "govuk-summary-list__value tc-break tc-pre" }, value),
    h("dd", { class: "govuk-summary-list__actions" },
      h("a", { class: "govuk-link", href }, "Change", h("span", { class: "govuk-visually-hidden" }, ` ${label}`))));
}

// The answers on a screen that show; each item of a list (an adult, an injury) with its own.
function answerRows(ps, shown, screen, href, itemHref) {
  const { data, scope } = placeOf(shown, screen);
  return promptsOf(screen)
    .filter((p) => p.type !== "guidance" && shows(p.when, shown, scope))
    .flatMap((p) => {
      const rows = [row(p.label, words(p, data[p.id]), href)];
      if (p.type !== "repeat" || !Array.isArray(data[p.id])) return rows;
      data[p.id].forEach((item, i) => {
        const place = { ...screen, item: { prompt: p, id: item.id } };
        const inner = placeOf(shown, place);
        for (const q of p.prompts.filter((x) => x.type !== "guidance" && shows(x.when, shown, inner.scope))) {
          rows.push(row(`${capital(p.item_label)} ${i + 1}: ${q.label}`, words(q, inner.data[q.id]), itemHref(item.id)));
        }
      });
      return rows;
    });
}

// What is still needed: [{href, text}], each linking to the screen where it is answered. As the
// server's status: the required answers, and what the suggested grade asks for (the reason for
// a lower grade, from v2 the urgent call for a high one) and a declaration answered "no".
function stillNeeded(ps, current, answers) {
  const { prompts, repeats } = indexOf(ps);
  return stillRequired(ps, answers).map((path) => {
    const id = path.replace(/^.*\]\./, "");
    const n = screenOfPath(ps, answers, current.screens, path);
    const onCheck = ps.sections.some((s) => CHECK_SECTIONS.includes(s.id) && s.prompts.some((p) => p.id === id));
    const href = onCheck ? `#${fieldId(prompts[id])}` : screenUrl(current.uuid, n);
    if (prompts[id] && prompts[id].type !== "repeat") return { href, text: message(ps, "required", prompts[id]) };
    const list = prompts[id] || repeats[id.replace(/\[\d+\]$/, "")]?.[0];
    const text = list ? message(ps, "too_few_items", null, { min_items: Math.max(list.min_items || 0, 1), item_label: list.item_label }) : path;
    return { href, text };
  });
}

// Sent, but the server said answers are still needed (for example after a grade lower than the
// suggestion): what it named, to answer before it is sent again.
function refused(ps, current) {
  const problem = current.draft.problem;
  if (!problem || !Array.isArray(problem.missing)) return null;
  const { prompts } = indexOf(ps);
  return h("div", { class: "govuk-warning-text" },
    h("span", { class: "govuk-warning-text__icon", "aria-hidden": "true" }, "!"),
    h("strong", { class: "govuk-warning-text__text" }, h("span", { class: "govuk-visually-hidden" }, "Warning"),
      "This referral was not accepted when it was sent. Answer these, then submit again: ",
      problem.missing.map((path) => prompts[path.replace(/^.*\]\./, "")]?.label || path).join("; ")));
}

export function drawCheck(ps, current) {
  const { uuid, draft, screens, n } = current;
  const answers = draft.answers;
  const shown = prune(ps, answers);
  const parts = [];
  screens.forEach((screen, i) => {
    if (screen.kind !== "section") return;
    const rows = answerRows(ps, shown, screen, screenUrl(uuid, i), (id) => screenUrl(uuid, i, id));
    if (rows.length) parts.push(h("h2", { class: "govuk-heading-m" }, titleOf(answers, screen)), h("dl", { class: "govuk-summary-list" }, rows));
  });
  const needed = stillNeeded(ps, current, answers).filter((x) => !x.href.startsWith("#f-"));
  const form = h("form", { novalidate: true, class: "tc-screen-form" });
  const here = { kind: "section", section: { prompts: [] } };
  for (const section of ps.sections.filter((s) => CHECK_SECTIONS.includes(s.id) && shows(s.when, shown, null))) {
    form.append(h("h2", { class: "govuk-heading-m" }, section.title));
    for (const p of section.prompts) {
      here.section.prompts.push(p);
      const box = field(p, answers[p.id], null);
      if (p.when && !shows(p.when, shown, null)) box.classList.add("tc-when--hidden");
      form.append(box);
    }
  }
  current.screen = here;
  form.append(
    h("p", { class: "govuk-body" }, "When you submit, your referral is sent to your supervisor as soon as this phone has a signal."),
    h("button", { type: "submit", class: "govuk-button", "data-module": "govuk-button" }, "Submit"));
  watch(form, here);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if ((await keepAll(form, here)).length) return;
    const problems = [...stillNeeded(ps, current, answers),
      ...Object.entries(validate(ps, prune(ps, answers))).map(([path, text]) =>
        ({ href: screenUrl(uuid, screenOfPath(ps, answers, screens, path)), text }))];
    if (problems.length) {
      root().querySelector(".govuk-error-summary")?.remove();
      const summary = errorSummary(problems, "Answer these before you submit. Everything you have answered is kept.");
      form.before(summary);
      summary.focus();
      return;
    }
    await settled();
    await outbox.submit(uuid);
    drawQueued(await outbox.draft(uuid));
  });
  show("Check your answers",
    h("a", { href: screenUrl(uuid, Math.max(n - 1, 0)), class: "govuk-back-link" }, "Back"),
    h("span", { class: "govuk-caption-l" }, `Step ${n + 1} of ${screens.length}`),
    h("h1", { class: "govuk-heading-l" }, "Check your answers"),
    refused(ps, current),
    needed.length ? h("div", { class: "govuk-inset-text" },
      h("h2", { class: "govuk-heading-s" }, "Still needed before you can submit"),
      h("ul", { class: "govuk-list govuk-list--bullet" }, needed.map((x) => h("li", {}, h("a", { class: "govuk-link", href: x.href }, x.text)))))
      : h("p", { class: "govuk-body" }, "Every answer needed is given."),
    ...parts, ...suggestedGrade(ps, suggestion(ps, answers)), form);
  refresh(form, here);
}

const root = () => document.getElementById("tc-capture");

export function drawClose(ps, current) {
  const { uuid, draft, screens, n } = current;
  const reason = draft.answers["gate.no_child_reason"];
  const gate = screens.findIndex((s) => s.section && s.section.id === "gate");
  const button = h("button", { type: "button", class: "govuk-button", "data-module": "govuk-button" }, "Close the incident");
  button.addEventListener("click", async () => {
    if (!hasAnswer(reason)) {
      root().querySelector(".govuk-error-summary")?.remove();
      const p = indexOf(ps).prompts["gate.no_child_reason"];
      const summary = errorSummary([{ href: screenUrl(uuid, gate), text: message(ps, "required", p) }]);
      button.before(summary);
      summary.focus();
      return;
    }
    await settled();
    await outbox.close(uuid, reason);
    drawQueued(await outbox.draft(uuid));
  });
  show("Close the incident",
    h("a", { href: screenUrl(uuid, Math.max(n - 1, 0)), class: "govuk-back-link" }, "Back"),
    h("h1", { class: "govuk-heading-l" }, "Close the incident: no child identified"),
    h("p", { class: "govuk-body" }, "You answered that no children are present or linked, and no one is pregnant. The incident closes with your reason; child protection coaches can see incidents closed this way."),
    h("h2", { class: "govuk-heading-s" }, "Your reason"),
    h("p", { class: "govuk-body tc-pre tc-break" }, hasAnswer(reason) ? reason : "Not answered yet"),
    h("p", { class: "govuk-body" }, h("a", { class: "govuk-link", href: screenUrl(uuid, gate) }, "Change your answers")),
    button);
}

export function drawQueued(draft) {
  const closed = Boolean(draft.close_reason);
  show(closed ? "Incident closed" : "Referral submitted",
    h("div", { class: "govuk-panel govuk-panel--confirmation" },
      h("h1", { class: "govuk-panel__title" }, closed ? "Incident closed" : "Referral submitted"),
      h("div", { class: "govuk-panel__body" }, "Waiting for a signal")),
    h("p", { class: "govuk-body" }, closed
      ? "It will be sent when this phone has a signal. You do not need to do anything else."
      : "It will be sent to your supervisor when this phone has a signal. You do not need to do anything else."),
    h("p", { class: "govuk-body" }, "Open Think Child again when you have a signal to check it has gone."),
    h("p", { class: "govuk-body" }, h("a", { class: "govuk-link", href: "/offline" }, "Back to incidents on this phone")));
}
