// The offline queue, shared by the pages and the service worker (no DOM here).
//
// What a user typed without network waits in IndexedDB, encrypted with AES-GCM under a key the
// browser created for this user and cannot export (a CryptoKey kept as such in IndexedDB). Each
// item carries the id made when it was queued: the server takes it as the idempotency key, so an
// item sent twice is recorded once. Items older than the maximum age are wiped, sent or not.
(function (scope) {
  "use strict";

  const DB_NAME = "integrapsy-offline";
  const DB_VERSION = 1;
  const KEY_ID = "aes";
  const PAGE_CACHE = "integrapsy-pages";
  const LOCK = "integrapsy-offline-send";
  const HOUR = 3600 * 1000;

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function open() {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore("keys");
      db.createObjectStore("meta");
      db.createObjectStore("queue", { keyPath: "id" });
      db.createObjectStore("sent", { keyPath: "id" });
    };
    return request(req);
  }

  async function withStore(name, mode, fn) {
    const db = await open();
    try {
      const tx = db.transaction(name, mode);
      const result = await fn(tx.objectStore(name));
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

  const get = (store, key) => withStore(store, "readonly", (s) => request(s.get(key)));
  const put = (store, value, key) => withStore(store, "readwrite", (s) => request(key === undefined ? s.put(value) : s.put(value, key)));
  const remove = (store, key) => withStore(store, "readwrite", (s) => request(s.delete(key)));
  const all = (store) => withStore(store, "readonly", (s) => request(s.getAll()));

  // Everything this browser keeps for the app: the queue, the key, the pages kept for offline use.
  async function wipe() {
    if (typeof caches !== "undefined") {
      await caches.delete(PAGE_CACHE);
    }
    await new Promise((resolve) => {
      const req = indexedDB.deleteDatabase(DB_NAME);
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    });
  }

  // The key of the signed-in user, made the first time a page is shown to them after signing in.
  // Another user's key, and what it encrypted, goes first: nobody reads what someone else typed.
  async function ensureKey(user, maxAgeHours) {
    const current = await get("keys", KEY_ID);
    const fresh = current && Date.now() - current.createdAt < (maxAgeHours || 12) * HOUR;
    // The same user keeps their key while something waits (an expired session signed in again);
    // with nothing waiting, a key older than the maximum age is replaced.
    if (current && current.user === user && (fresh || (await all("queue")).length)) {
      return current.key;
    }
    await wipe();
    const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    await put("keys", { user: user, key: key, createdAt: Date.now() }, KEY_ID);
    return key;
  }

  async function keyFor(user) {
    const current = await get("keys", KEY_ID);
    return current && current.user === user ? current.key : null;
  }

  async function encrypt(key, value) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = new TextEncoder().encode(JSON.stringify(value));
    return { iv: iv, data: await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, data) };
  }

  async function decrypt(key, sealed) {
    const data = await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, key, sealed.data);
    return JSON.parse(new TextDecoder().decode(data));
  }

  // fields: [[name, value], ...] as the form would have sent them (files are not queued).
  async function enqueue({ user, id, url, label, fields, maxAgeHours }) {
    const key = await ensureKey(user, maxAgeHours);
    const item = {
      id: id,
      user: user,
      url: url,
      label: label,
      createdAt: Date.now(),
      state: "waiting",
      sealed: await encrypt(key, fields),
    };
    await put("queue", item);
    return item;
  }

  async function purgeExpired(maxAgeHours) {
    if (!(await exists())) {
      return;
    }
    const limit = Date.now() - maxAgeHours * HOUR;
    for (const item of await all("queue")) {
      if (item.createdAt < limit) {
        await remove("queue", item.id);
      }
    }
    for (const item of await all("sent")) {
      if (item.createdAt < limit) {
        await remove("sent", item.id);
      }
    }
  }

  async function waiting(user) {
    return (await all("queue")).filter((item) => item.user === user).sort((a, b) => a.createdAt - b.createdAt);
  }

  // Whether this browser keeps anything for the app, without creating the database to find out.
  async function exists() {
    if (!indexedDB.databases) {
      return true;
    }
    return (await indexedDB.databases()).some((db) => db.name === DB_NAME);
  }

  async function count() {
    return (await exists()) ? (await all("queue")).length : 0;
  }

  async function clearSent(user) {
    for (const item of await sent(user)) {
      await remove("sent", item.id);
    }
  }

  async function sent(user) {
    return (await all("sent")).filter((item) => item.user === user).sort((a, b) => a.sentAt - b.sentAt);
  }

  // What a refused item's answer said: the form with the errors beside the fields, and the text.
  async function refusal(user, id) {
    const item = await get("queue", id);
    const key = await keyFor(user);
    if (!item || !key || !item.refused) {
      return null;
    }
    return decrypt(key, item.refused);
  }

  async function forget(id) {
    await remove("queue", id);
  }

  // Sent to the login page, the second factor or a password change: the form was not processed.
  function isAccountPage(url) {
    return new URL(url).pathname.indexOf("/accounts/") === 0;
  }

  // Send what waits, oldest first. Stops at the first network failure or when signing in is
  // needed; a refused item stays in the queue, with the answer that explains why.
  async function sendOne(item, key, csrf) {
    const fields = await decrypt(key, item.sealed);
    const body = new URLSearchParams();
    for (const [name, value] of fields) {
      body.append(name, value);
    }
    body.set("csrfmiddlewaretoken", csrf || "");
    let response;
    try {
      response = await fetch(item.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Idempotency-Key": item.id, "X-Offline-Queued": "1", "X-CSRFToken": csrf || "" },
      });
    } catch (error) {
      return "offline";
    }
    if ((response.redirected && isAccountPage(response.url)) || response.status === 403) {
      await put("queue", Object.assign(item, { state: "sign-in" }));
      return "sign-in";
    }
    if (response.ok) {
      await remove("queue", item.id);
      await put("sent", { id: item.id, user: item.user, label: item.label, url: response.url, createdAt: item.createdAt, sentAt: Date.now() });
      return "sent";
    }
    if (response.status >= 400 && response.status < 500) {
      const html = await response.text();
      await put("queue", Object.assign(item, { state: "refused", refused: await encrypt(key, { html: html, fields: fields }) }));
      return "refused";
    }
    await put("queue", Object.assign(item, { state: "waiting" }));
    return "offline";
  }

  async function flush({ user, csrf, maxAgeHours }) {
    const run = async () => {
      await purgeExpired(maxAgeHours);
      const key = await keyFor(user);
      const counts = { sent: 0, refused: 0, waiting: 0, signIn: false };
      if (!key) {
        return counts;
      }
      for (const item of await waiting(user)) {
        if (item.state === "refused") {
          continue;
        }
        const outcome = await sendOne(item, key, csrf);
        if (outcome === "sent") {
          counts.sent += 1;
        } else if (outcome === "refused") {
          counts.refused += 1;
        } else {
          counts.signIn = outcome === "sign-in";
          break;
        }
      }
      counts.waiting = (await waiting(user)).length;
      return counts;
    };
    // One sender at a time across the tabs and the service worker.
    if (scope.navigator && scope.navigator.locks) {
      return scope.navigator.locks.request(LOCK, run);
    }
    return run();
  }

  async function setMeta(name, value) {
    await put("meta", value, name);
  }

  async function meta(name) {
    return get("meta", name);
  }

  scope.IntegraPsyOffline = {
    PAGE_CACHE: PAGE_CACHE,
    wipe: wipe,
    ensureKey: ensureKey,
    enqueue: enqueue,
    waiting: waiting,
    count: count,
    exists: exists,
    sent: sent,
    clearSent: clearSent,
    refusal: refusal,
    forget: forget,
    flush: flush,
    purgeExpired: purgeExpired,
    setMeta: setMeta,
    meta: meta,
  };
})(self);
