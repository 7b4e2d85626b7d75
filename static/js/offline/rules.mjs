// Think Child offline: the answer engine's rules in the browser, ported from
// app/checklist/answers (visibility.py `prune_hidden`, values.py `validate_values`) and the list
// caps (each list's max_items in the prompt set). What is still missing: required.mjs.
// The shared cases in tests/checklist/validation_cases.json run against both.
import { lookupIn, visible } from "/static/js/checklist.mjs";

const ADULT_AGE = 18;
const BIRTH_DATES = ["child.dob", "adult.dob"];
const INCIDENT_TIME = "incident.datetime";
const CHILD_DOB = "child.dob";
const CHILD_AGE = "child.age_estimate";
const ITEM_ID = "id";
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/;

const has = (o, k) => o !== null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k);
const isItem = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

export function hasAnswer(value) {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return value.trim() !== "";
  return !(Array.isArray(value) && value.length === 0);
}

// Where each prompt is: the top-level prompts, the lists of repeat sections, every prompt by id.
export function indexOf(ps) {
  if (ps._index) return ps._index;
  const top = {}, repeats = {}, prompts = {};
  const walk = (list, into) => {
    for (const p of list) {
      prompts[p.id] = p;
      if (into) into[p.id] = p;
      if (p.type === "repeat") walk(p.prompts || [], null);
    }
  };
  for (const s of ps.sections) {
    if (s.repeat) (repeats[s.repeat] ||= []).push(s);
    walk(s.prompts, s.repeat ? null : top);
  }
  Object.defineProperty(ps, "_index", { value: { top, repeats, prompts }, enumerable: false });
  return ps._index;
}

export function message(ps, kind, prompt, fields = {}) {
  const template = (prompt && prompt.messages && prompt.messages[kind]) || ps.messages[kind];
  const values = { label: prompt ? prompt.label : "", ...fields };
  return template.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
}

// A lookup for conditions: `scope` is the item's answers and those of the items it sits in,
// innermost first (or null at the top level); then the top level (lookupIn).
export function scopeLookup(answers, scope) {
  return (id) => {
    if (!scope) return lookupIn(answers, null, id);
    const found = scope.find((m) => has(m, id));
    return found ? found[id] : lookupIn(answers, {}, id);
  };
}

function shows(when, answers, scope) {
  return !when || visible(when, scopeLookup(answers, scope));
}

// A copy of the answers without those whose prompt or section is hidden (prune_hidden).
export function prune(ps, answers) {
  const { top, repeats } = indexOf(ps);
  const source = structuredClone(answers || {});
  const kept = {};
  const lists = {};
  for (const key of Object.keys(repeats)) {
    if (!has(source, key)) continue;
    const value = source[key];
    const items = Array.isArray(value) ? value.map((i) => (isItem(i) ? idOnly(i) : i)) : [];
    lists[key] = { value, kept: items, shown: false };
  }
  const seen = () => {
    const view = {};
    for (const [k, g] of Object.entries(lists)) view[k] = g.kept;
    return Object.assign(view, kept);
  };
  for (const section of ps.sections) {
    const shown = shows(section.when, seen(), null);
    if (!section.repeat) {
      pruneInto(section.prompts, source, kept, null, seen, shown);
    } else if (lists[section.repeat]) {
      const group = lists[section.repeat];
      group.shown = group.shown || shown;
      if (!Array.isArray(group.value)) continue;
      group.value.forEach((item, i) => {
        if (isItem(item)) pruneInto(section.prompts, item, group.kept[i], [group.kept[i]], seen, shown);
      });
    }
  }
  for (const [key, group] of Object.entries(lists)) {
    if (group.shown) kept[key] = Array.isArray(group.value) ? group.kept : group.value;
  }
  return kept;
}

function idOnly(item) {
  return has(item, ITEM_ID) ? { [ITEM_ID]: item[ITEM_ID] } : {};
}

function pruneInto(prompts, item, out, scope, seen, shown = true) {
  for (const p of prompts) {
    if (!has(item, p.id)) continue;
    if (!(shown && shows(p.when, seen(), scope))) continue;
    const value = item[p.id];
    if (p.type === "repeat" && Array.isArray(value)) {
      out[p.id] = value.map((inner) => {
        if (!isItem(inner)) return inner;
        const kept = idOnly(inner);
        pruneInto(p.prompts, inner, kept, [kept, ...(scope || [])], seen);
        return kept;
      });
    } else {
      out[p.id] = value;
    }
  }
}

export function parseDate(value) {
  if (typeof value !== "string" || !DATE.test(value)) return null;
  const [y, m, d] = value.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  day.setUTCFullYear(y);
  const real = y >= 1 && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
  return real ? { y, m, d } : null;
}

export function parseDateTime(value) {
  const match = typeof value === "string" && value.match(DATETIME);
  if (!match) return null;
  const day = parseDate(match[1]);
  const hour = Number(match[2]), minute = Number(match[3]);
  const seconds = match[4] ? Number(match[4].slice(1, 3)) : 0;
  const offset = match[6] && match[6] !== "Z" ? match[6].replace(":", "") : null;
  if (offset && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(3)) > 59)) return null;
  if (!day || hour > 23 || minute > 59 || seconds > 59) return null;
  return day;
}

const later = (a, b) => a.y !== b.y ? a.y > b.y : a.m !== b.m ? a.m > b.m : a.d > b.d;

export function ageOn(born, on) {
  const before = on.m < born.m || (on.m === born.m && on.d < born.d);
  return on.y - born.y - (before ? 1 : 0);
}

// Today in the UK, as {y, m, d}.
export function ukToday() {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit",
  }).formatToParts(new Date());
  const get = (t) => Number(parts.find((p) => p.type === t).value);
  return { y: get("year"), m: get("month"), d: get("day") };
}

// {path: message} for each answer of the wrong type or out of range (validate_values), and each
// list longer than its cap. `shown` is prune()'s result; `today` is "YYYY-MM-DD" or omitted.
export function validate(ps, shown, { today, limits } = {}) {
  const { top, repeats } = indexOf(ps);
  const now = today ? parseDate(today) : ukToday();
  const incident = parseDateTime(shown[INCIDENT_TIME]);
  const ctx = { ps, today: now, on: incident || now, errors: {} };
  for (const [key, value] of Object.entries(shown)) {
    if (has(repeats, key)) {
      const prompts = {};
      for (const s of repeats[key]) for (const p of s.prompts) prompts[p.id] = p;
      checkItems(ctx, key, value, prompts, null, repeats[key][0].title);
    } else if (has(top, key)) {
      checkValue(ctx, top[key], key, value);
    }
  }
  for (const [path, key, count, label] of listsIn(ps, shown)) {
    if (count > maxItems(ps, key, limits)) ctx.errors[path] = tooMany(ps, key, label, limits);
  }
  return ctx.errors;
}

function fail(ctx, path, kind, prompt, fields) {
  if (!has(ctx.errors, path)) ctx.errors[path] = message(ctx.ps, kind, prompt, fields);
}

function checkItems(ctx, path, value, prompts, owner, label) {
  label = label || (owner ? owner.label : "");
  if (!Array.isArray(value)) return fail(ctx, path, "repeat", owner, { label });
  value.forEach((item, i) => {
    if (!isItem(item)) return fail(ctx, `${path}[${i}]`, "repeat", owner, { label });
    for (const [key, answer] of Object.entries(item)) {
      if (has(prompts, key)) checkValue(ctx, prompts[key], `${path}[${i}].${key}`, answer);
    }
  });
}

function checkValue(ctx, p, path, value) {
  if (!hasAnswer(value)) return;
  const t = p.type;
  const options = (p.options || []).map((o) => o.id);
  if (t === "yesno" && typeof value !== "boolean") fail(ctx, path, "yesno", p);
  else if (t === "choice" && !(typeof value === "string" && options.includes(value))) fail(ctx, path, "choice", p);
  else if (t === "multi") checkMulti(ctx, p, path, value, options);
  else if (t === "text" || t === "short") {
    if (typeof value !== "string") fail(ctx, path, "text", p);
    else if (p.max_length && [...value].length > p.max_length) fail(ctx, path, "too_long", p, { max_length: p.max_length });
  } else if (t === "date") checkDate(ctx, p, path, value);
  else if (t === "datetime") {
    const when = parseDateTime(value);
    if (!when) fail(ctx, path, "datetime", p);
    else if (p.id === INCIDENT_TIME && later(when, ctx.today)) fail(ctx, path, "date_in_future", p);
  } else if (t === "number") checkNumber(ctx, p, path, value);
  else if (t === "repeat") {
    const inner = Object.fromEntries((p.prompts || []).map((q) => [q.id, q]));
    checkItems(ctx, path, value, inner, p);
  }
}

function checkMulti(ctx, p, path, value, options) {
  const bad = !Array.isArray(value) || value.some(
    (v) => typeof v !== "string" || !options.includes(v) || value.indexOf(v) !== value.lastIndexOf(v));
  if (bad) return fail(ctx, path, "multi", p);
  if (p.exclusive && value.includes(p.exclusive) && value.length > 1) {
    const option = p.options.find((o) => o.id === p.exclusive).label;
    fail(ctx, path, "exclusive", p, { option });
  }
}

function checkDate(ctx, p, path, value) {
  const day = parseDate(value);
  if (!day) fail(ctx, path, "date", p);
  else if (BIRTH_DATES.includes(p.id) && later(day, ctx.today)) fail(ctx, path, "date_in_future", p);
  else if (p.id === CHILD_DOB && ageOn(day, ctx.on) >= ADULT_AGE) fail(ctx, path, "child_over_18", p);
}

function checkNumber(ctx, p, path, value) {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(ctx, path, "number", p);
  else if (p.id === CHILD_AGE && value >= ADULT_AGE) fail(ctx, path, "child_over_18", p);
  else if (p.min !== undefined && p.min !== null && value < p.min) fail(ctx, path, "too_small", p, { min: p.min });
  else if (p.max !== undefined && p.max !== null && value > p.max) fail(ctx, path, "too_big", p, { max: p.max });
}

// Every list in the answers: [path, key, count, label] (items.lists_in).
function listsIn(ps, answers) {
  const { top, repeats } = indexOf(ps);
  const out = [];
  const inner = (item, prompts, prefix) => {
    for (const p of prompts) {
      if (p.type !== "repeat" || !Array.isArray(item[p.id])) continue;
      out.push([prefix + p.id, p.id, item[p.id].length, p.label]);
      item[p.id].forEach((x, j) => isItem(x) && inner(x, p.prompts, `${prefix}${p.id}[${j}].`));
    }
  };
  for (const [key, sections] of Object.entries(repeats)) {
    if (!Array.isArray(answers[key])) continue;
    out.push([key, key, answers[key].length, sections[0].title]);
    const prompts = sections.flatMap((s) => s.prompts);
    answers[key].forEach((x, i) => isItem(x) && inner(x, prompts, `${key}[${i}].`));
  }
  inner(answers, Object.values(top), "");
  return out;
}

export function maxItems(ps, key, limits = {}) {
  const { repeats, prompts } = indexOf(ps);
  const own = has(repeats, key)
    ? (repeats[key].find((s) => s.max_items) || {}).max_items
    : (prompts[key] || {}).max_items;
  const caps = limits.max_items || {};
  return own || caps[key] || limits.default_max_items || Infinity;
}

export function tooMany(ps, key, label, limits = {}) {
  const template = ps.messages.too_many_items || (limits.messages || {}).too_many_items || "";
  return template.replace("{max_items}", maxItems(ps, key, limits)).replace("{label}", label);
}
