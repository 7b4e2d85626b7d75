// Think Child: a conflict question by question. When a draft's answers met a newer version on
// the server (412), rows() lists every question where what the officer typed and what the server
// holds differ (a child, adult or injury compared field by field, matched by its id), and
// merge() builds the answers to send from the officer's choice for each row.

export function same(a, b) {
  const canon = (v) =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === "object"
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])]))
        : v;
  return JSON.stringify(canon(a ?? null)) === JSON.stringify(canon(b ?? null));
}

export function pick(answers, keys) {
  return Object.fromEntries(keys.map((k) => [k, answers[k] ?? null]));
}

const isItems = (v) => Array.isArray(v) && v.every((x) => x && typeof x === "object" && "id" in x);

function byId(items) {
  return new Map((items || []).map((item) => [item.id, item]));
}

// One row per difference: {id, key, item, field, mine, theirs}. An item only one side has is
// one row (field null): kept or not as a whole.
export function rows(mine, theirs) {
  const out = [];
  for (const key of Object.keys(mine)) {
    const a = mine[key] ?? null;
    const b = theirs[key] ?? null;
    if (same(a, b)) continue;
    if (!(isItems(a ?? []) && isItems(b ?? []))) {
      out.push({ id: key, key, item: null, field: null, mine: a, theirs: b });
      continue;
    }
    const ours = byId(a);
    const stored = byId(b);
    for (const id of new Set([...ours.keys(), ...stored.keys()])) {
      const x = ours.get(id);
      const y = stored.get(id);
      if (!x || !y) {
        out.push({ id: `${key}/${id}`, key, item: id, field: null, mine: x ?? null, theirs: y ?? null });
        continue;
      }
      for (const field of new Set([...Object.keys(x), ...Object.keys(y)])) {
        if (field === "id" || same(x[field], y[field])) continue;
        out.push({
          id: `${key}/${id}/${field}`,
          key,
          item: id,
          field,
          mine: x[field] ?? null,
          theirs: y[field] ?? null,
        });
      }
    }
  }
  return out;
}

// The answers to send for every key of `mine`. `choice` is "mine", "theirs", or an object
// naming "mine" or "theirs" for each row id; a row with no choice is an error, never a guess.
export function merge(mine, theirs, choice) {
  const pick = (id) => {
    const c = typeof choice === "string" ? choice : choice[id];
    if (c !== "mine" && c !== "theirs") throw new Error("no choice for " + id);
    return c;
  };
  const out = {};
  for (const key of Object.keys(mine)) {
    const a = mine[key] ?? null;
    const b = theirs[key] ?? null;
    if (same(a, b)) {
      out[key] = b;
    } else if (!(isItems(a ?? []) && isItems(b ?? []))) {
      out[key] = pick(key) === "mine" ? a : b;
    } else {
      const ours = byId(a);
      const stored = byId(b);
      const items = [];
      for (const id of new Set([...ours.keys(), ...stored.keys()])) {
        const x = ours.get(id);
        const y = stored.get(id);
        if (!x || !y) {
          if ((pick(`${key}/${id}`) === "mine") === Boolean(x)) items.push(x || y);
          continue;
        }
        const item = { id };
        for (const field of new Set([...Object.keys(x), ...Object.keys(y)])) {
          if (field === "id") continue;
          const kept = same(x[field], y[field]) || pick(`${key}/${id}/${field}`) === "theirs" ? y : x;
          item[field] = kept[field] ?? null; // sent as null: cleared, not left as it was
        }
        items.push(item);
      }
      out[key] = items;
    }
  }
  return out;
}
