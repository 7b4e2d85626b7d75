// Think Child offline: what is still missing before submission, ported from
// app/checklist/answers/__init__.py `missing_required`, and the suggested risk grade with the
// checks that follow it (app/checklist/service.py `status_of`, `submission_extras`).
// tests/checklist/validation_cases.json runs against both.
import { assess } from "/static/js/risk/assess.mjs";
import { hasAnswer, prune, scopeLookup } from "/static/js/offline/rules.mjs";
import { shows } from "/static/js/offline/screens.mjs";

const OFFICER_GRADE = "risk.officer_grade";
const OVERRIDE_REASON = "risk.override_reason";
const DECLARATION = "declaration.confirmed";
// From v2: a high suggested grade is phoned through before submission.
const URGENT_CALL = ["action.urgent_call_to", "action.urgent_call_time", "action.urgent_call_agreed"];
const RANK = Object.freeze({ standard: 0, medium: 1, high: 2 });

const isItem = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// Paths of required prompts that show and have no answer, in screen order (missing_required).
export function missing(ps, answers) {
  const shown = prune(ps, answers);
  const out = [];
  for (const section of ps.sections) {
    if (!shows(section.when, shown, null)) continue;
    if (!section.repeat) {
      missingIn(section.prompts, shown, null, shown, "", out);
      continue;
    }
    const items = Array.isArray(shown[section.repeat]) ? shown[section.repeat] : [];
    if (section.min_items && items.length < section.min_items) out.push(section.repeat);
    items.forEach((item, i) => {
      if (isItem(item)) missingIn(section.prompts, item, [item], shown, `${section.repeat}[${i}].`, out);
    });
  }
  return out;
}

function missingIn(prompts, data, scope, answers, prefix, out) {
  for (const p of prompts) {
    if (p.type === "guidance" || !shows(p.when, answers, scope)) continue;
    const path = prefix + p.id, value = data[p.id];
    if (p.type === "repeat") {
      const items = Array.isArray(value) ? value : [];
      if (items.length < Math.max(p.min_items || 0, p.required ? 1 : 0)) out.push(path);
      items.forEach((item, j) => {
        if (isItem(item)) missingIn(p.prompts, item, [item, ...(scope || [])], answers, `${path}[${j}].`, out);
      });
      continue;
    }
    const excused = p.required_unless && hasAnswer(scopeLookup(answers, scope)(p.required_unless));
    if (p.required && !excused && !hasAnswer(value)) out.push(path);
  }
}

// The suggested grade and its reasons for the answers that show, by the rules of the prompt set's
// version (status_of). Ages are measured on the incident date, else `today` ("YYYY-MM-DD"),
// else today (UTC), as on the server.
export function suggestion(ps, answers, { today } = {}) {
  return assess(prune(ps, answers), { version: ps.version, on: today });
}

export function gateCloses(shown) {
  return shown["gate.children_present"] === false && shown["gate.pregnancy"] === false;
}

// What the prompt file cannot say (submission_extras): from v2, the urgent call when the
// suggestion is high; the override reason when the officer's grade is lower than the
// suggestion; a declaration answered "no". `shown` is prune()'s result.
export function extras(ps, shown, grade) {
  const out = [];
  if (ps.version >= 2 && grade === "high") out.push(...URGENT_CALL.filter((p) => !hasAnswer(shown[p])));
  const chosen = shown[OFFICER_GRADE];
  const lower = typeof chosen === "string" && Object.hasOwn(RANK, chosen) && RANK[chosen] < RANK[grade];
  if (lower && !hasAnswer(shown[OVERRIDE_REASON])) out.push(OVERRIDE_REASON);
  if (shown[DECLARATION] === false && !out.includes(DECLARATION)) out.push(DECLARATION);
  return out;
}

// Everything still needed before the referral can be submitted, as the server's status says
// (missing_required, then the extras unless the incident closes at the gate).
export function needed(ps, answers, { today } = {}) {
  const shown = prune(ps, answers);
  if (gateCloses(shown)) return missing(ps, answers);
  return [...missing(ps, answers), ...extras(ps, shown, suggestion(ps, answers, { today }).grade)];
}
