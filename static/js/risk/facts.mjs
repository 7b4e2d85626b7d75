// Reading answers for the risk rules without trusting them: a port of
// app/checklist/risk/facts.py. The rules run on drafts, so any key may be missing and any value
// may be of the wrong type: a value of the wrong type is ignored (never coerced, never thrown).
import { childAgeInWords } from "/static/js/risk/ages.mjs";
import { dateOf, pyStrip, todayUtc } from "/static/js/risk/dates.mjs";

/** A JSON object (Python's Mapping): not null, not an array. */
export function isMapping(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** container.get(key): own keys only, undefined when missing. */
export function get(container, key) {
  return Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
}

export function isTrue(container, key) {
  return get(container, key) === true;
}

export function isFalse(container, key) {
  return get(container, key) === false;
}

/** A finite JSON number, or null (booleans are not numbers). */
export function number(container, key) {
  const value = get(container, key);
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The distinct known option ids of a multi answer (unknown or non-string items ignored). */
export function options(container, key, known) {
  const value = get(container, key);
  if (!Array.isArray(value)) return new Set();
  return new Set(value.filter((item) => typeof item === "string" && known.has(item)));
}

/** The date ages are measured on: the date of incident.datetime as written, else `on` (a
 * "YYYY-MM-DD" string or a Date, its UTC date), else today (UTC). */
export function referenceDate(answers, on) {
  const incident = dateOf(get(answers, "incident.datetime"));
  if (incident !== null) return incident;
  if (on instanceof Date && !Number.isNaN(on.getTime())) {
    return { y: on.getUTCFullYear(), m: on.getUTCMonth() + 1, d: on.getUTCDate() };
  }
  const given = dateOf(on);
  return given ?? todayUtc();
}

/** Each child's [name, answers]; entries that are not objects are skipped. */
export function eachChild(answers) {
  const children = get(answers, "children");
  if (!Array.isArray(children)) return [];
  return children.filter(isMapping).map((child) => [childLabel(child), child]);
}

/** The child's name (child.name, stripped), or null when it is blank or not text. */
export function childLabel(child) {
  const name = get(child, "child.name");
  if (typeof name === "string" && pyStrip(name)) return pyStrip(name);
  return null;
}

/** Each child's [label with age, answers] (prompt set v2): "Amy (4 months)", "Child 2 (3
 * years)" when the name is blank (2 = the entry's place in the list, counting every entry). */
export function labelledChildren(answers, on) {
  const children = get(answers, "children");
  if (!Array.isArray(children)) return [];
  const labelled = [];
  children.forEach((child, index) => {
    if (isMapping(child)) labelled.push([childLabelWithAge(child, index + 1, on), child]);
  });
  return labelled;
}

function childLabelWithAge(child, position, on) {
  const name = childLabel(child) ?? `Child ${position}`;
  const age = childAgeInWords(child, on);
  return age ? `${name} (${age})` : name;
}
