// Think Child: an officer's checklist screen, started with a signal, keeps a copy of its
// incident's draft on the phone (the outbox's draft record: encrypted, store.mjs), so that losing
// the signal mid-incident loses nothing. The copy is refreshed when the screen loads and after
// each autosave, from the JSON API: only the officer's own incidents (the API's rule), only
// drafts (a submitted or closed incident's copy is removed), and never over changes still
// waiting to be sent. An autosave that finds no signal puts the screen's answers into that
// draft (with the revision the form was drawn from as If-Match: a change made elsewhere
// meanwhile gives the conflict page, never a silent overwrite); the outbox sends them when the
// signal returns. Loaded after the page is drawn (static/js/mirror.mjs).
import * as outbox from "/static/js/offline/outbox.mjs";
import * as store from "/static/js/offline/store.mjs";
import { keep, settled, state } from "/static/js/offline/form.mjs";
import { placeOfPath, screenOfPlace } from "/static/js/offline/paths.mjs";
import { promptsOf } from "/static/js/offline/screens.mjs";
import { promptSet } from "/static/js/offline/questions.mjs";

const KEPT = "No signal: kept on this phone, it will be sent when the signal returns.";
const CHECK = "No signal: the rest is kept on this phone, but not these. Check: ";

const waiting = (d) => Boolean(d && (d.dirty.length || d.conflict || d.problem || d.submit || d.close_reason));

function say(form, text, error) {
  const status = form.querySelector("#save-status");
  if (!status) return;
  status.replaceChildren(Object.assign(document.createElement("p"), {
    className: `govuk-body-s${error ? " govuk-error-message" : " tc-saved"}`, textContent: text,
  }));
}

// The incident as the server holds it now, kept here as its draft (or removed once it is no
// longer one). Resolves to the incident, or null when the server could not be asked.
export async function copy(incidentId, userId) {
  let incident;
  try {
    const response = await fetch(`/api/v1/incidents/${incidentId}`, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return null;
    incident = await response.json();
  } catch {
    return null;
  }
  await outbox.checkOwner({ user_id: userId }); // another officer's drafts go first
  const key = outbox.DRAFT + incident.client_uuid;
  await outbox.locked(async () => {
    const kept = await store.get(key);
    if (waiting(kept)) return; // the outbox sends those first
    if (document.querySelector('form[action="/logout"][data-wiped="1"]')) return; // signed out
    if (incident.status !== "draft") {
      if (kept) await store.remove(key);
      return;
    }
    await store.put(key, {
      client_uuid: incident.client_uuid, id: incident.id, revision: incident.revision,
      version: incident.prompt_set_version, answers: incident.answers,
      base: structuredClone(incident.answers), dirty: [], close_reason: null, submit: false,
      conflict: null, problem: null,
    });
  });
  return incident;
}

// The screen's answers put into its incident's draft. Resolves to the problems with answers
// that could not be kept (an empty list: all kept), or null when there is no draft to keep them
// in (the page's own "Not saved" words then stand).
export async function keepScreen(form) {
  const place = placeOfPath(new URL(form.action, location.href).pathname);
  const ps = place && (await promptSet());
  const screen = ps && screenOfPlace(ps, place);
  const found = screen && (await outbox.drafts()).find((d) => d.id === place.incident);
  if (!found || (found.version && found.version !== ps.version)) return null;
  const uuid = found.client_uuid;
  const drawnAt = Number(form.querySelector("#form-revision")?.value);
  await outbox.locked(async () => {
    const d = await store.get(outbox.DRAFT + uuid);
    if (!d || d.dirty.length || d.conflict || !Number.isInteger(drawnAt)) return;
    // The copy is newer than the form (changed elsewhere since it was drawn): every answer
    // that differs on the server then is a question for the officer, not overwritten.
    if (d.revision > drawnAt) d.base = {};
    d.revision = drawnAt;
    await store.put(outbox.DRAFT + uuid, d);
  });
  state.ps = ps;
  state.current = { uuid, draft: await outbox.draft(uuid), screen };
  const problems = [];
  for (const box of form.querySelectorAll(".tc-prompt")) {
    const p = promptsOf(screen).find((q) => q.id === box.dataset.prompt);
    const problem = p ? await keep(box, p, screen) : null;
    if (problem && !box.classList.contains("tc-when--hidden")) problems.push(problem);
  }
  await settled();
  return problems;
}

export async function noSignal(form) {
  const problems = await keepScreen(form).catch(() => null);
  if (problems) say(form, problems.length ? CHECK + problems.join(" ") : KEPT, problems.length > 0);
}

const incidentOf = (form) => placeOfPath(new URL(form.action, location.href).pathname)?.incident;

// The signal is back (or the screen loaded with one): what waits is sent first, then the copy
// is refreshed from what the server holds. A screen drawn before its kept answers were sent
// (opened again with a signal) and not touched since is drawn again, with them.
export async function refresh(form) {
  const id = incidentOf(form);
  if (!id || !navigator.onLine) return;
  const mine = async () => (await outbox.drafts()).find((d) => d.id === id);
  const before = await mine();
  if ((await outbox.drafts()).some(waiting)) await outbox.sync();
  const incident = await copy(id, form.dataset.user);
  const drawnAt = Number(form.querySelector("#form-revision")?.value);
  if (waiting(before) && !waiting(await mine()) && incident && incident.revision > drawnAt && !form.dataset.touched) {
    location.reload();
  }
}

// A submitted or closed incident: its copy is no longer needed here (unless changes to it
// still wait: the outbox then says what the server made of them).
export async function forget(incidentId) {
  await outbox.locked(async () => {
    const kept = (await outbox.drafts()).find((d) => d.id === incidentId);
    if (kept && !waiting(kept)) await store.remove(outbox.DRAFT + kept.client_uuid);
  });
}
