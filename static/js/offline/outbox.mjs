// Think Child: the outbox. Drafts made with no signal wait here (encrypted, store.mjs) and are
// sent through the JSON API when the signal returns: on the "online" event, on page load and on
// a timer (never only Background Sync, which iPhones lack). Each draft carries its client UUID
// (starting it twice gives one incident) and every save carries If-Match: a change the server
// already holds is recognised and not sent again; a real conflict (412) is kept, with both
// versions, for the officer to choose: nothing is overwritten silently.
import * as store from "/static/js/offline/store.mjs";

const DRAFT = "draft:";
const OWNER = "owner";
const API = "/api/v1/incidents";

function same(a, b) {
  const canon = (v) =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === "object"
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])]))
        : v;
  return JSON.stringify(canon(a ?? null)) === JSON.stringify(canon(b ?? null));
}

function pick(answers, keys) {
  return Object.fromEntries(keys.map((k) => [k, answers[k] ?? null]));
}

// Every change to a stored draft is read, changed and written under one lock (across tabs with
// the Web Locks API): a sync writing back what the server said must never overwrite an answer
// typed meanwhile, nor delete a draft that has changes still to send.
let local = Promise.resolve();
function locked(work) {
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
}

export async function close(clientUuid, reason) {
  await modify(clientUuid, (d) => {
    d.close_reason = reason;
  });
}

export async function submit(clientUuid) {
  await modify(clientUuid, (d) => {
    d.submit = true;
  });
}

// The officer's choice on a conflict: "mine" sends theirs again over the stored version (now
// seen), "theirs" takes the stored answers into the draft.
export async function resolve(clientUuid, choice) {
  await modify(clientUuid, (d) => {
    if (!d.conflict) return;
    if (choice === "theirs") {
      Object.assign(d.answers, d.conflict.theirs);
      d.dirty = [];
    }
    d.revision = d.conflict.revision;
    d.conflict = null;
  });
}

async function session() {
  const response = await fetch("/api/v1/session", { credentials: "same-origin" });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error("session " + response.status);
  return response.json();
}

// A different user signed in on this browser: the first user's drafts are not theirs to see.
async function checkOwner(who) {
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
  if (d.dirty.length) {
    const sent = pick(d.answers, d.dirty);
    const saved = await call("PUT", `${API}/${d.id}/answers`, token, { answers: sent }, d.revision);
    if (saved.status === 412) {
      const current = saved.json.current;
      const mine = Object.keys(sent);
      if (!mine.every((k) => same(sent[k], current.answers[k]))) {
        const theirs = pick(current.answers, mine);
        await modify(uuid, (x) => {
          x.conflict = { mine: sent, theirs, revision: current.revision };
        });
        return;
      }
      d = await modify(uuid, (x) => {
        x.revision = current.revision; // the same change, applied before: not sent again
        sentNow(x, sent);
      });
    } else if (saved.status === 200) {
      d = await modify(uuid, (x) => {
        x.revision = saved.json.revision;
        sentNow(x, sent);
      });
    } else {
      await modify(uuid, (x) => {
        x.problem = saved.json;
      });
      return;
    }
    if (!d) return;
  }
  if (d.dirty.length) return; // typed meanwhile: sent on the next round
  let outcome = null;
  if (d.close_reason) {
    const closed = await call("POST", `${API}/${d.id}/close`, token, { reason: d.close_reason }, d.revision);
    outcome = closed.status === 200 ? { done: true } : { problem: closed.json };
  } else if (d.submit) {
    const submitted = await call("POST", `${API}/${d.id}/submit`, token, undefined, d.revision);
    outcome =
      submitted.status === 200
        ? { done: true, reference: submitted.json.reference }
        : { problem: submitted.json };
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
  localStorage.setItem("tc-last-sync", new Date().toISOString());
}

async function runOnce() {
  if (!navigator.onLine) return drafts();
  const who = await session();
  if (!who) return drafts(); // signed out: the drafts wait for this user to sign in again
  await checkOwner(who);
  for (const d of await drafts()) await sendOne(d, who.csrf_token);
  return drafts();
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
