// Working without network: the banner, the forms that queue when offline, the wipe at logout.
// Its words come from the banner's data attributes, translated by the server.
(function () {
  "use strict";

  const Q = window.IntegraPsyOffline;
  const banner = document.getElementById("offline-banner");
  if (!Q || !banner || !window.indexedDB || !window.crypto || !window.crypto.subtle) {
    return;
  }
  const cfg = banner.dataset;
  let user = cfg.user || "";
  let csrf = cfg.csrf || "";
  const maxAgeHours = Number(cfg.maxAgeHours) || 12;
  const state = document.getElementById("offline-state");
  const countText = document.getElementById("offline-count");
  const sendButton = document.getElementById("offline-send");
  const list = document.getElementById("offline-items");

  function newId() {
    return crypto.randomUUID();
  }

  function element(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      node.setAttribute(name, value);
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function waitingText(n) {
    return n === 1 ? cfg.textOne : cfg.textMany.replace("__N__", String(n));
  }

  async function render(note) {
    const items = user ? await Q.waiting(user) : [];
    const total = user ? items.length : await Q.count();
    const sent = user ? await Q.sent(user) : [];
    const offline = !navigator.onLine;
    const signIn = !user || items.some((item) => item.state === "sign-in");
    banner.hidden = !offline && total === 0 && sent.length === 0 && !note;
    banner.classList.toggle("is-offline", offline);
    state.textContent = [offline ? cfg.textOffline : "", note || "", total && signIn ? cfg.textSignIn : ""]
      .filter(Boolean)
      .join(" ");
    countText.textContent = total ? waitingText(total) : "";
    banner.dataset.waiting = String(total);
    sendButton.hidden = !user || total === 0;
    // Rebuilt only when it changes: a list redrawn under the reader's finger (or a screen reader) is lost.
    const signature = JSON.stringify([items.map((i) => [i.id, i.state]), sent.map((i) => i.id)]);
    if (signature === list.dataset.signature) {
      return;
    }
    list.dataset.signature = signature;
    list.replaceChildren();
    for (const item of items.filter((i) => i.state === "refused")) {
      const row = element("li", { class: "d-flex flex-wrap gap-2 align-items-center" });
      row.append(element("span", {}, `${item.label} — ${cfg.textRefused}`));
      const review = element("button", { type: "button", class: "btn btn-sm btn-outline-dark", "data-review": item.id }, cfg.textReview);
      row.append(review);
      list.append(row);
    }
    if (sent.length) {
      const row = element("li", { class: "d-flex flex-wrap gap-2 align-items-center" });
      row.append(element("span", {}, cfg.textSent));
      for (const item of sent) {
        row.append(element("a", { href: item.url, class: "alert-link", "data-sent": item.id }, item.label));
      }
      row.append(element("button", { type: "button", class: "btn btn-sm btn-outline-dark", "data-clear-sent": "" }, cfg.textDismiss));
      list.append(row);
    }
  }

  let sending = null;
  let retry = null;
  let retryDelay = 1000;
  async function sendNow() {
    clearTimeout(retry);
    if (!user || !navigator.onLine) {
      return render();
    }
    sending = sending || Q.flush({ user: user, csrf: csrf, maxAgeHours: maxAgeHours }).finally(() => (sending = null));
    const counts = await sending;
    banner.dataset.lastSent = String(counts.sent);
    const left = (await Q.waiting(user)).filter((item) => item.state === "waiting").length;
    if (left && !counts.signIn && navigator.onLine) {
      // The network is said to be back but did not answer yet: try again, less and less often.
      retry = setTimeout(sendNow, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    } else {
      retryDelay = 1000;
    }
    return render();
  }

  async function askForSync() {
    if (!("serviceWorker" in navigator)) {
      return;
    }
    try {
      // Not ``ready``: a worker still installing when the network dropped would keep it waiting.
      const registration = await navigator.serviceWorker.getRegistration();
      if (registration && registration.active && registration.sync) {
        await registration.sync.register("integrapsy-send");
      }
    } catch (error) {
      // No Background Sync here: the next page load, the network's return or "send now" sends.
    }
  }

  function actionPath(form) {
    // The attribute, not ``form.action``: a field named "action" (the consultation's buttons) hides it.
    const url = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    return url.pathname + url.search;
  }

  function clientId(form) {
    let input = form.querySelector("input[name='client_id']");
    if (!input) {
      input = element("input", { type: "hidden", name: "client_id" });
      input.value = newId();
      form.append(input);
    }
    return input;
  }

  async function queue(form, submitter) {
    const data = new FormData(form, submitter || undefined);
    const fields = [];
    for (const [name, value] of data) {
      if (typeof value !== "string" || name === "csrfmiddlewaretoken" || name === "client_id") {
        continue;
      }
      // Without network a consultation is saved as a draft; it is signed later, with the network.
      fields.push(name === "action" && value === "sign" ? [name, "draft"] : [name, value]);
    }
    const id = clientId(form).value;
    await Q.enqueue({ user: user, id: id, url: actionPath(form), label: form.dataset.offline, fields: fields, maxAgeHours: maxAgeHours });
    askForSync();
    form.reset();
    clientId(form).value = newId();
    const done = form.parentElement.querySelector(".offline-queued") || element("p", { class: "offline-queued alert alert-info", role: "status" });
    done.textContent = cfg.textQueued;
    form.after(done);
    await render();
  }

  // What the server refused comes back as its form page: the errors beside the fields, the text kept.
  async function review(id) {
    const answer = await Q.refusal(user, id);
    if (!answer) {
      return;
    }
    const page = new DOMParser().parseFromString(answer.html, "text/html");
    const main = page.querySelector("main");
    const item = (await Q.waiting(user)).find((i) => i.id === id);
    if (!main || !item) {
      return;
    }
    document.querySelector("main").replaceWith(document.adoptNode(main));
    const form = document.querySelector("main form[data-offline]") || document.querySelector("main form[method='post']");
    if (form) {
      form.setAttribute("action", item.url);
      clientId(form).value = id;
    }
    const invalid = document.querySelector("main .is-invalid");
    (invalid || document.querySelector("main")).focus();
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("form[action$='/accounts/logout/']")) {
      // Signing out wipes what this device keeps, before the server ends the session.
      event.preventDefault();
      Q.wipe().finally(() => HTMLFormElement.prototype.submit.call(form));
      return;
    }
    if (!form.matches("form[data-offline]") || !user) {
      return;
    }
    const id = clientId(form).value;
    if (navigator.onLine) {
      // Sent now, with its id: a refused copy of it waiting in the queue is done with.
      Q.forget(id);
      return;
    }
    event.preventDefault();
    queue(form, event.submitter).catch((error) => {
      banner.dataset.error = String(error);
    });
  });

  document.addEventListener("click", (event) => {
    const target = event.target;
    if (target.closest("#offline-send")) {
      sendNow();
    } else if (target.closest("[data-review]")) {
      review(target.closest("[data-review]").dataset.review);
    } else if (target.closest("[data-clear-sent]")) {
      Q.clearSent(user).then(() => render());
    }
  });

  window.addEventListener("online", () => sendNow());
  window.addEventListener("offline", () => render());

  async function start() {
    if (cfg.fallback) {
      // The service worker's page for "no network": it knows nobody, the queue knows its user.
      if (await Q.exists()) {
        user = (await Q.meta("user")) || "";
        csrf = (await Q.meta("csrf")) || "";
      }
      banner.dataset.ready = "true";
      return render();
    }
    if (!user) {
      // No session: the pages kept for offline use go. What the user typed waits, encrypted, for
      // them to sign in again (until the maximum age); another user signing in wipes it first.
      if (window.caches) {
        await caches.delete(Q.PAGE_CACHE);
      }
      await Q.purgeExpired(maxAgeHours);
      banner.dataset.ready = "true";
      return render();
    }
    await Q.purgeExpired(maxAgeHours);
    await Q.ensureKey(user, maxAgeHours);
    await Q.setMeta("user", user);
    await Q.setMeta("csrf", cfg.csrf);
    for (const form of document.querySelectorAll("form[data-offline]")) {
      clientId(form);
    }
    if ("serviceWorker" in navigator && cfg.swUrl) {
      navigator.serviceWorker.register(cfg.swUrl, { scope: "/" }).catch(() => {});
      navigator.serviceWorker.addEventListener("message", () => render());
    }
    banner.dataset.ready = "true";
    return navigator.onLine ? sendNow() : render();
  }

  start().catch(() => {
    banner.dataset.ready = "error";
  });
})();
