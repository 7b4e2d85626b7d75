// Think Child offline: how the prompt set is cut into screens, in the same order as online
// (app/checklist/screens.py `flow`): the incident, the gate, the children (the list, then each
// child's details), each child's own sections child by child, then the household's sections,
// and "Check your answers" (or, when both gate answers are no, closing the incident). Where each
// screen's answers live, and how a change to one answer becomes a change to the draft.
import { indexOf, prune, scopeLookup } from "/static/js/offline/rules.mjs";
import { visible } from "/static/js/checklist.mjs";

export const CHECK_SECTIONS = ["risk", "declaration"];
const CHILDREN = "children";
const isItem = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

export function shows(when, answers, scope) {
  return !when || visible(when, scopeLookup(answers, scope));
}

export function childIds(answers) {
  const kids = Array.isArray(answers[CHILDREN]) ? answers[CHILDREN] : [];
  return kids.filter(isItem).map((c) => c.id);
}

function child(answers, id) {
  return (Array.isArray(answers[CHILDREN]) ? answers[CHILDREN] : []).find((c) => isItem(c) && c.id === id);
}

// The answers a screen edits, and the scope its conditions look up first (null: the top).
export function placeOf(answers, screen) {
  let data = answers;
  let scope = null;
  if (screen.childId) {
    data = child(answers, screen.childId) || { id: screen.childId };
    scope = [data];
  }
  if (screen.item) {
    const list = Array.isArray(data[screen.item.prompt.id]) ? data[screen.item.prompt.id] : [];
    const item = list.find((x) => isItem(x) && x.id === screen.item.id) || { id: screen.item.id };
    scope = [item, ...(scope || [])];
    data = item;
  }
  return { data, scope };
}

// The prompts a screen holds.
export function promptsOf(screen) {
  return screen.item ? screen.item.prompt.prompts : screen.section.prompts;
}

export function screenShows(ps, screen, shown) {
  if (!shows(screen.section.when, shown, null)) return false;
  const { scope } = placeOf(shown, screen);
  return promptsOf(screen).some((p) => p.type !== "guidance" && shows(p.when, shown, scope));
}

function gateClosed(answers) {
  return answers["gate.children_present"] === false && answers["gate.pregnancy"] === false;
}

// Every screen, in order, for the answers so far. A child's details are reached from the list
// of children and lead back to it (as online).
export function flow(ps, answers) {
  const shown = prune(ps, answers);
  const visibleSections = ps.sections.filter(
    (s) => !CHECK_SECTIONS.includes(s.id) && shows(s.when, shown, null));
  const perChild = visibleSections.filter((s) => s.repeat === CHILDREN && s.id !== "child");
  const out = [];
  for (const section of visibleSections) {
    if (section.repeat === CHILDREN) {
      if (section.id === "child") {
        out.push({ kind: "children", section });
        for (const id of childIds(answers)) out.push({ kind: "section", section, childId: id });
      }
      if (section === perChild[0]) {
        for (const id of childIds(answers)) {
          for (const s of perChild) {
            const screen = { kind: "section", section: s, childId: id };
            if (screenShows(ps, screen, shown)) out.push(screen);
          }
        }
      }
      continue;
    }
    const screen = { kind: "section", section };
    if (screenShows(ps, screen, shown)) out.push(screen);
    if (section.id === "gate" && gateClosed(shown)) break; // then only closing is left
  }
  out.push({ kind: gateClosed(shown) ? "close" : "check" });
  return out;
}

export function childNumber(answers, id) {
  return childIds(answers).indexOf(id) + 1;
}

// A screen's heading: the section's title, with the child it is about.
export function titleOf(answers, screen) {
  if (screen.kind === "children") return screen.section.title;
  if (screen.kind === "check") return "Check your answers";
  if (screen.kind === "close") return "Close the incident: no child identified";
  if (screen.item) {
    const n = screenItemNumber(answers, screen);
    return `${capital(screen.item.prompt.item_label)} ${n}`;
  }
  const title = screen.section.title;
  if (!screen.childId) return title;
  const kid = child(answers, screen.childId) || {};
  const name = typeof kid["child.name"] === "string" && kid["child.name"].trim();
  return `${title}: ${name || `child ${childNumber(answers, screen.childId)}`}`;
}

function screenItemNumber(answers, screen) {
  const owner = screen.childId ? child(answers, screen.childId) || {} : answers;
  const list = Array.isArray(owner[screen.item.prompt.id]) ? owner[screen.item.prompt.id] : [];
  return list.findIndex((x) => isItem(x) && x.id === screen.item.id) + 1;
}

export const capital = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);

// Set one answer on a screen in the draft's answers (changed in place). Returns the changes to
// store: {top-level key: its new value}.
export function setAnswer(answers, screen, promptId, value) {
  if (!screen.childId && !screen.item) {
    answers[promptId] = value;
    return { [promptId]: answers[promptId] };
  }
  let owner = answers;
  if (screen.childId) {
    owner = child(answers, screen.childId);
    if (!owner) return {};
  }
  if (screen.item) {
    const key = screen.item.prompt.id;
    const list = Array.isArray(owner[key]) ? owner[key] : (owner[key] = []);
    let item = list.find((x) => isItem(x) && x.id === screen.item.id);
    if (!item) list.push((item = { id: screen.item.id }));
    item[promptId] = value;
  } else {
    owner[promptId] = value;
  }
  const top = screen.childId ? CHILDREN : screen.item.prompt.id;
  return { [top]: answers[top] };
}

// Add an item (a child, or an item of a repeat prompt on `screen`) with a new id.
export function addItem(answers, screen, repeatPrompt) {
  const id = crypto.randomUUID();
  if (!repeatPrompt) {
    answers[CHILDREN] = [...(Array.isArray(answers[CHILDREN]) ? answers[CHILDREN] : []), { id }];
    return { id, changes: { [CHILDREN]: answers[CHILDREN] } };
  }
  const owner = screen.childId ? child(answers, screen.childId) : answers;
  owner[repeatPrompt.id] = [...(Array.isArray(owner[repeatPrompt.id]) ? owner[repeatPrompt.id] : []), { id }];
  const top = screen.childId ? CHILDREN : repeatPrompt.id;
  return { id, changes: { [top]: answers[top] } };
}

export function removeItem(answers, screen, repeatPrompt, id) {
  const key = repeatPrompt ? repeatPrompt.id : CHILDREN;
  const owner = repeatPrompt && screen.childId ? child(answers, screen.childId) : answers;
  owner[key] = (Array.isArray(owner[key]) ? owner[key] : []).filter((x) => !(isItem(x) && x.id === id));
  const top = screen.childId || !repeatPrompt ? CHILDREN : key;
  return { [top]: answers[top] };
}

// The screen (its number in the flow) where the answer at `path` is given.
export function screenOfPath(ps, answers, screens, path) {
  const m = path.match(/^(?:children\[(\d+)\](?:\.|$))?(.*)$/);
  const kids = childIds(answers);
  const childId = m[1] !== undefined ? kids[Number(m[1])] : null;
  const rest = m[2].replace(/\[\d+\].*$/, "");
  if (!rest || rest === CHILDREN) return screens.findIndex((s) => s.kind === "children");
  const { prompts } = indexOf(ps);
  const section = ps.sections.find((s) => s.prompts.some((p) => p.id === rest)) ||
    ps.sections.find((s) => s.prompts.some((p) => p.type === "repeat" && p.prompts.some((q) => q.id === rest)));
  if (!prompts[rest] || !section) return screens.findIndex((s) => s.kind === "check");
  const at = screens.findIndex((s) => s.section === section && (s.childId || null) === childId && s.kind === "section");
  return at >= 0 ? at : screens.findIndex((s) => s.kind === "check");
}
