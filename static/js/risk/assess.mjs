// The suggested risk grade in the browser: the same rules as the server
// (app/checklist/risk/__init__.py assess), so an officer offline gets the suggestion they would
// get online. tests/checklist/risk_cases.json holds cases graded by the Python rules; pytest
// checks the table against Python and tests/browser/test_risk_js.py against this module.
//
//   assess(answers, {version, on}) -> {grade, reasons: [{code, grade, child}]}
//
// `answers` are the incident's answers (already pruned of hidden answers), `version` the
// incident's prompt set version (1 or 2: an incident is graded by its own version's rules),
// `on` the day ages are measured on when incident.datetime is not usable ("YYYY-MM-DD" or a
// Date; default today UTC). Total on drafts: a missing key or a value of the wrong type is
// ignored, never thrown on. An unknown version throws a RangeError, as Python's ValueError.
import { isMapping, referenceDate } from "/static/js/risk/facts.mjs";
import * as v1 from "/static/js/risk/rules_v1.mjs";
import * as v2 from "/static/js/risk/rules_v2.mjs";

export const RULES_BY_VERSION = Object.freeze({ 1: v1.RULES, 2: v2.RULES });
export const REASON_GRADES_BY_VERSION = Object.freeze({ 1: v1.REASON_GRADES, 2: v2.REASON_GRADES });
const RANK = Object.freeze({ standard: 0, medium: 1, high: 2 });

export function assess(answers, { version = 1, on = undefined } = {}) {
  const rules = Object.prototype.hasOwnProperty.call(RULES_BY_VERSION, version)
    ? RULES_BY_VERSION[version]
    : null;
  if (rules === null) throw new RangeError(`no risk rules for prompt set version ${version}`);
  const given = isMapping(answers) ? answers : {};
  const when = referenceDate(given, on);
  const seen = new Set();
  const reasons = [];
  for (const rule of rules) {
    for (const reason of rule(given, when)) {
      const key = JSON.stringify([reason.code, reason.grade, reason.child]);
      if (!seen.has(key)) {
        seen.add(key);
        reasons.push(reason);
      }
    }
  }
  reasons.sort((a, b) => RANK[b.grade] - RANK[a.grade]); // stable: rule order within a grade
  const top = reasons.reduce((best, r) => (RANK[r.grade] > RANK[best] ? r.grade : best), "standard");
  return { grade: top, reasons };
}
