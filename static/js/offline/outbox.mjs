// Think Child: the outbox. Drafts made with no signal wait here (encrypted, store.mjs) and are
// sent through the JSON API when the signal returns: on the "online" event, on page load and on
// a timer (never only Background Sync, which iPhones lack). Each draft carries its client UUID
// (starting it twice gives one incident) and every save carries If-Match: a change the server
// already holds is recognised and not sent again; a real conflict (412) is kept, with both
// versions, for the officer to choose: nothing is overwritten silently.
import { merge, pick, same } from "/static/js/offline/choices.mjs";
import * as store from "/static/js/offline/store.mjs";

export const DRAFT = "draft:";
const OWNER = "owner";
const API = "/api/v1/incidents";
// What is waiting, as counts only (nothing personal), for the status on every officer screen
// (status.mjs, which cannot afford to load this module; store.wipe() clears both keys), and
// when the server last answered.
const SUMMARY = "tc-outbox";
const LAST_SYNC = "tc-last-sync";

// Every change to a stored draft is read, changed and written under one lock (across tabs with
// the Web Locks API): a sync writing back what the server said must never overwrite an answer
// typed meanwhile, nor delete a draft that has changes still to send.
let local = Promise.resolve();
export function locked(work) {
  if (navigator.locks) return navigator.locks.request("thinkchild-drafts", work);
  const run = local.then(work, work);
  local = run.catch(() => {});
  return run;
}

function modify(clientUuid, change) {
  return locked(async () => {
    const d = await store.get(DRAFT + clientUuid);
    if (!d) return null;
    change(d);
    await store.put(DRAFT + clientUuid, d);
    return d;
  });
}

function sentNow(d, sent) {
  // What was just sent no longer waits, unless it was changed again meanwhile.
  d.dirty = d.dirty.filter((k) => !(k in sent) || !same(d.answers[k], sent[k]));
}

function blank(clientUuid) {
  return {
    client_uuid: clientUuid,
    id: null,
    revision: null,
    answers: {},
    dirty: [],
    close_reason: null,
    submit: false,
    conflict: null,
    problem: null,
  };
}

export async function start() {
  const draft = blank(crypto.randomUUID());
  await store.put(DRAFT + draft.client_uuid, draft);
  await note();
  return draft.client_uuid;
}

export function draft(clientUuid) {
  return store.get(DRAFT + clientUuid);
}

export function drafts() {
  return store.all(DRAFT);
}

// `whole` (optional): every answer of the incident as the screen has them. If the draft was
// sent and removed meanwhile (the signal came back while the officer typed), it is kept again
// from them, with only this change to send: the server holds the rest, and the change is not
// lost. Lists are sent whole, matched by item id, so nothing is doubled.
export async function answer(clientUuid, changes, whole = null) {
  await locked(async () => {
    let d = await store.get(DRAFT + clientUuid);
    if (!d && !whole) return;
    if (!d) d = { ...blank(clientUuid), answers: structuredClone(whole) };
    Object.assign(d.answers, changes);
    d.dirty = [...new Set([...d.dirty, ...Object.keys(changes)])];
    await store.put(DRAFT + clientUuid, d);
  });
  await note();
}

// The officer's choice, for a draft the server would not take (and only such a draft): what
// waits for it on this phone is removed. The server keeps whatever it accepted before.
export async function discard(clientUuid) {
  await locked(async () => {
    const d = await store.get(DRAFT + clientUuid);
    if (d && d.problem) await store.remove(DRAFT + clientUuid);
  });
  await note();
}

export async function close(clientUuid, reason) {
  await modify(clientUuid, (d) => {
    d.close_reason = reason;
  });
  await note();
}

export async function submit(clientUuid) {
  await modify(clientUuid, (d) => {
    d.submit = true;
  });
  await note();
}

// The officer's choice on a conflict: "mine" or "theirs" for every question, or an object with
// "mine" or "theirs" for each row of choices.rows() (throws, changing nothing, if a row has no
// choice). The result is sent over the version now seen (its revision becomes the If-Match);
// what matches the server is not sent again.
export async function resolve(clientUuid, choice) {
  await modify(clientUuid, (d) => {
    if (!d.conflict) return;
    const keys = Object.keys(d.conflict.mine);
    const theirs = d.conflict.theirs;
    const merged = merge(pick(d.answers, keys), theirs, choice);
    Object.assign(d.answers, merged);
    d.base = { ...d.base, ...theirs }; // what the server holds at the revision now seen
    const send = keys.filter((k) => !same(merged[k], theirs[k]));
    d.dirty = [...new Set([...d.dirty.filter((k) => !keys.includes(k)), ...send])];
    d.revision = d.conflict.revision;
    d.conflict = null;
  });
  await note();
}

// How many answers a value holds: each answered field of each child, adult or injury.
function count(value) {
  if (!Array.isArray(value) || !value.every((x) => x && typeof x === "object")) return 1;
  const fields = value.reduce((n, item) => n + Object.keys(item).filter((k) => k !== "id").length, 0);
  return Math.max(1, fields);
}

export async function note() {
  const waiting = await drafts();
  const owner = await store.get(OWNER);
  const summary = { user: owner ? owner.user_id : null, answers: 0, finishing: 0, conflicts: 0, problems: 0 };
  for (const d of waiting) {
    summary.answers += d.dirty.reduce((n, k) => n + count(d.answers[k]), 0);
    if (d.submit || d.close_reason) summary.finishing += 1;
    if (d.conflict) summary.conflicts += 1;
    if (d.problem) summary.problems += 1;
  }
  localStorage.setItem(SUMMARY, JSON.stringify(summary));
  window.dispatchEvent(new Event("tc-outbox")); // the status on this page (others: "storage")
  return waiting;
}

async function session() {
  const response = await fetch("/api/v1/session", { credentials: "same-origin" });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error("session " + response.status);
  return response.json();
}

// A different user signed in on this browser: the first user's drafts are not theirs to see.
export async function checkOwner(who) {
  const owner = await store.get(OWNER);
  if (owner && owner.user_id !== who.user_id) await store.wipe();
  if (!owner || owner.user_id !== who.user_id) await store.put(OWNER, { user_id: who.user_id });
}

async function call(method, url, token, body, revision) {
  const headers = { "X-CSRF-Token": token, "Content-Type": "application/json" };
  if (revision !== null && revision !== undefined) headers["If-Match"] = `"${revision}"`;
  const response = await fetch(url, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // Signed out, a stale CSRF token or a server error: nothing the officer must fix; the round
  // stops and the drafts wait for the next one.
  if (response.status >= 500 || response.status === 401 || response.status === 403) {
    throw new Error(`${method} ${response.status}`);
  }
  const json = await response.json().catch(() => ({}));
  return { status: response.status, json };
}

async function sendOne(waiting, token) {
  const uuid = waiting.client_uuid;
  let d = waiting;
  if (d.conflict) return;
  if (!d.id) {
    const made = await call("POST", API, token, { client_uuid: uuid });
    if (made.status !== 200 && made.status !== 201) throw new Error("create " + made.status);
    d = await modify(uuid, (x) => {
      x.id = made.json.id;
      x.revision = made.json.revision;
    });
    if (!d) return;
  }
  // A 412 is a conflict only for a question whose answer on the server changed since this
  // draft last knew it (``base``; an outbox incident starts empty) and differs from what was
  // typed: the rest is sent again over the version now seen, in this round.
  for (let tries = 0; d.dirty.length && tries < 3; tries += 1) {
    const sent = pick(d.answers, d.dirty);
    const saved = await call("PUT", `${API}/${d.id}/answers`, token, { answers: sent }, d.revision);
    if (saved.status === 200) {
      d = await modify(uuid, (x) => {
        x.revision = saved.json.revision;
        x.problem = null;
        x.base = { ...x.base, ...sent };
        sentNow(x, sent);
      });
    } else if (saved.status === 412) {
      const now = saved.json.current;
      const keys = Object.keys(sent);
      const held = keys.filter((k) => same(sent[k], now.answers[k])); // applied before
      const clash = keys.filter((k) => !held.includes(k) && !same(now.answers[k], d.base?.[k]));
      d = await modify(uuid, (x) => {
        x.revision = now.revision;
        x.base = { ...x.base, ...pick(now.answers, held) };
        sentNow(x, pick(sent, held));
        if (clash.length) {
          x.conflict = { mine: pick(sent, clash), theirs: pick(now.answers, clash), revision: now.revision };
        }
      });
      if (d?.conflict) return;
    } else {
      await modify(uuid, (x) => {
        x.problem = { status: saved.status, error: saved.json.error || null };
      });
      return;
    }
    if (!d) return;
  }
  if (d.dirty.length) return; // typed meanwhile: sent on the next round
  let outcome = null;
  if (d.close_reason) {
    const closed = await call("POST", `${API}/${d.id}/close`, token, { reason: d.close_reason }, d.revision);
    outcome = closed.status === 200 ? { done: true } : { problem: { status: closed.status, error: closed.json.error || null } };
  } else if (d.submit) {
    const submitted = await call("POST", `${API}/${d.id}/submit`, token, undefined, d.revision);
    outcome =
      submitted.status === 200
        ? { done: true, reference: submitted.json.reference }
        : { problem: { status: submitted.status, error: submitted.json.error || null } };
  }
  if (outcome && !outcome.done) {
    await modify(uuid, (x) => {
      x.problem = outcome.problem;
    });
    return;
  }
  // The server has it all: nothing kept here (unless something was typed meanwhile).
  const finished = outcome !== null;
  await locked(async () => {
    const latest = await store.get(DRAFT + uuid);
    if (latest && (finished || latest.dirty.length === 0)) await store.remove(DRAFT + uuid);
  });
}

// How the last round went (for the offline app's words).
export let lastRound = { failed: false, signedOut: false };

// One round: resolves to what is still waiting. With no signal, signed out, or the server not
// answering (``failed``: a reply lost mid-round is replayed next round and recognised), the
// drafts simply wait.
async function runOnce() {
  let failed = false;
  let signedOut = false;
  try {
    if (navigator.onLine) {
      const who = await session();
      signedOut = !who; // the drafts wait for this user to sign in again
      if (who) {
        await checkOwner(who);
        for (const d of await drafts()) await sendOne(d, who.csrf_token);
        localStorage.setItem(LAST_SYNC, new Date().toISOString());
      }
    }
  } catch {
    failed = true;
  }
  lastRound = { failed, signedOut };
  return note();
}

let queue = Promise.resolve();

// Send every waiting draft; resolves to what is still waiting. Runs one after another.
export function sync() {
  const run = queue.then(runOnce, runOnce);
  queue = run.catch(() => {});
  return run;
}

export function keepSending(onChange = () => {}) {
  const run = () => sync().then(onChange, onChange);
  window.addEventListener("online", run);
  setInterval(run, 30 * 1000);
  run();
}
