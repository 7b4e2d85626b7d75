// Think Child offline: the online screens' addresses (app/checklist/routes.py, items_routes.py)
// read as places, so that a screen can keep its answers in its incident's draft with no signal,
// and the offline app, opened at such an address (the service worker's fallback), can carry on
// from the same screen:
//   /incidents/<id>[/c/<child id>]/s/<section>/<page>    a section (or a page of it)
//   /incidents/<id>[/c/<child id>]/r/<list>/<item id>    an item of a list (an adult, an injury)
//   /incidents/<id>/children, /incidents/<id>/close      the children; closing with no child
// Anything else under /incidents/<id> (the overview, "Check your answers") is the incident alone.
const ID = "[0-9a-f-]{36}";
const INCIDENT = new RegExp(`^/incidents/(${ID})(/.*)?$`);
const REST = new RegExp(`^(?:/c/(${ID}))?(?:/s/([\\w-]+)/\\d+|/r/([\\w.-]+)/(${ID})|/(children|close))/?$`);

export function placeOfPath(pathname) {
  const m = pathname.match(INCIDENT);
  if (!m) return null;
  const place = { incident: m[1], childId: null, section: null, list: null, itemId: null, page: null };
  const rest = (m[2] || "").match(REST);
  if (!rest) return place;
  const [, childId, section, list, itemId, page] = rest;
  return { ...place, childId: childId || null, section: section || null, list: list || null, itemId: itemId || null, page: page || null };
}

const sectionOfList = (ps, list) =>
  ps.sections.find((s) => s.prompts.some((p) => p.type === "repeat" && p.id === list));

// The screen (as screens.mjs draws them) whose form a place shows: a section, or a list's item.
export function screenOfPlace(ps, place) {
  if (place.section) {
    const section = ps.sections.find((s) => s.id === place.section);
    return section ? { kind: "section", section, childId: place.childId } : null;
  }
  if (place.list && place.itemId) {
    const section = sectionOfList(ps, place.list);
    const prompt = section && section.prompts.find((p) => p.id === place.list);
    return prompt ? { kind: "item", section, childId: place.childId, item: { prompt, id: place.itemId } } : null;
  }
  return null;
}

// The place's screen in `screens` (screens.mjs `flow`): {n, itemId}, or null when it is not there.
export function screenNumber(ps, screens, place) {
  const childId = place.childId;
  let n = -1;
  if (place.page) n = screens.findIndex((s) => s.kind === place.page);
  const sectionId = place.section || (place.list && sectionOfList(ps, place.list)?.id);
  if (sectionId) {
    n = screens.findIndex((s) => s.kind === "section" && s.section.id === sectionId && (s.childId || null) === childId);
  }
  return n >= 0 ? { n, itemId: place.list ? place.itemId : null } : null;
}
