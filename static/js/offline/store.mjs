// Think Child: the browser's encrypted store for unsent work (IndexedDB). Every record is
// AES-GCM encrypted (WebCrypto) under a key that cannot be exported and never leaves this
// browser's IndexedDB: the stored values are ciphertext, with nothing readable in them.
const DB_NAME = "thinkchild";
const RECORDS = "records";
const KEYS = "keys";

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDb() {
  const req = indexedDB.open(DB_NAME, 1);
  req.onupgradeneeded = () => {
    req.result.createObjectStore(RECORDS, { keyPath: "id" });
    req.result.createObjectStore(KEYS);
  };
  return request(req);
}

async function withStore(name, mode, work) {
  const db = await openDb();
  try {
    const tx = db.transaction(name, mode);
    const result = await work(tx.objectStore(name));
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    return result;
  } finally {
    db.close();
  }
}

async function storedKey() {
  return withStore(KEYS, "readonly", (s) => request(s.get("aes")));
}

// The one key of this browser. Two callers at once (the sync loop and a save; two tabs) must
// never each make one: the second would overwrite the first and what was encrypted under it
// could never be read again. So the key is added, never put: only the first add succeeds, and
// everyone then uses the stored key.
async function theKey() {
  const stored = await storedKey();
  if (stored) return stored;
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
  try {
    await withStore(KEYS, "readwrite", (s) => request(s.add(key, "aes")));
  } catch (error) {
    if (!(error instanceof DOMException) || error.name !== "ConstraintError") throw error;
  }
  return storedKey();
}

export async function put(id, value) {
  const key = await theKey();
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(value));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain);
  await withStore(RECORDS, "readwrite", (s) => request(s.put({ id, iv, data })));
}

async function decrypt(key, record) {
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: record.iv }, key, record.data);
  return JSON.parse(new TextDecoder().decode(plain));
}

export async function get(id) {
  const record = await withStore(RECORDS, "readonly", (s) => request(s.get(id)));
  return record ? decrypt(await theKey(), record) : undefined;
}

export async function all(prefix) {
  const records = await withStore(RECORDS, "readonly", (s) => request(s.getAll()));
  const key = await theKey();
  const mine = records.filter((r) => r.id.startsWith(prefix));
  return Promise.all(mine.map((r) => decrypt(key, r)));
}

export async function remove(id) {
  await withStore(RECORDS, "readwrite", (s) => request(s.delete(id)));
}

// Everything, key included: at sign-out, and when a different user signs in on this browser
// (with the outbox's counts and last-sent time kept beside it).
export async function wipe() {
  localStorage.removeItem("tc-outbox");
  localStorage.removeItem("tc-last-sync");
  await request(indexedDB.deleteDatabase(DB_NAME));
}
