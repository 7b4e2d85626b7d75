// Think Child offline: what is still missing before submission, ported from
// app/checklist/answers/__init__.py `missing_required` (tests/checklist/validation_cases.json
// runs against both).
import { hasAnswer, prune, scopeLookup } from "/static/js/offline/rules.mjs";
import { shows } from "/static/js/offline/screens.mjs";

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
