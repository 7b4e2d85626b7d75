// Think Child offline: the suggested risk grade on "Check your answers", shown as online
// (templates/referrals/check.html): the grade, the reasons that raised it to that grade, the
// other risks recorded. Worked out on the phone from the draft's answers that show
// (required.mjs `suggestion`, the server's rules ported); the reasons are worded by the prompt
// set (`risk_reasons`), the grade names come from the one place they live
// (templates/components/_words.html), given to this page as data-grade-names on #tc-capture.
import { h } from "/static/js/offline/fields.mjs";

export function gradeNames() {
  const root = document.getElementById("tc-capture");
  try {
    return JSON.parse((root && root.dataset.gradeNames) || "{}");
  } catch {
    return {};
  }
}

// One reason as the server words it (components/_reasons.html): rules v2 put the child first,
// "Amy (4 months): was not seen"; v1 after, "the child was not seen (Amy)".
export function reasonText(reason, words, version) {
  const said = (words && words[reason.code]) || reason.code;
  if (!reason.child) return said;
  return version >= 2 ? `${reason.child}: ${said}` : `${said} (${reason.child})`;
}

export function reasonsText(list, words, version) {
  return list.map((r) => reasonText(r, words, version)).join("; ");
}

// The "Risk" heading and the suggestion in an inset, for `assessment` ({grade, reasons}).
export function suggestedGrade(ps, assessment) {
  const names = gradeNames();
  const name = names[assessment.grade] || assessment.grade;
  const main = assessment.reasons.filter((r) => r.grade === assessment.grade);
  const other = assessment.reasons.filter((r) => r.grade !== assessment.grade);
  const words = ps.risk_reasons || {};
  return [
    h("h2", { class: "govuk-heading-m", id: "risk" }, "Risk"),
    h("div", { class: "govuk-inset-text", id: "tc-suggested-grade" },
      h("p", { class: "govuk-body govuk-!-font-weight-bold" }, `Suggested grade: ${name}`),
      main.length ? h("p", { class: "govuk-body" }, `${name} because: ${reasonsText(main, words, ps.version)}`) : null,
      other.length ? h("p", { class: "govuk-body" }, `Other risks recorded: ${reasonsText(other, words, ps.version)}`) : null,
      assessment.grade === "standard" ? h("p", { class: "govuk-body" }, "None of your answers raised the grade.") : null),
  ];
}
