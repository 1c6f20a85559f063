/* The participant's phone: the service worker, the stepper and timer of the progress form, and
   the offline queue. Progress logged with no connection is kept in IndexedDB with its UUID and
   sent to the API when the connection returns; the server counts a UUID once, so a record sent
   twice is never counted twice. Every text comes from the page (data-* attributes). */
(function () {
  "use strict";
  var DB = "engawa", STORE = "queue";

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function say(text) {
    var out = document.getElementById("sync-status");
    if (out) out.textContent = text;
  }

  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function store(mode, work) {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) return reject(new Error("no IndexedDB"));
      var open = indexedDB.open(DB, 1);
      open.onupgradeneeded = function () { open.result.createObjectStore(STORE, { keyPath: "client_uuid" }); };
      open.onerror = function () { reject(open.error); };
      open.onsuccess = function () {
        var tx = open.result.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && result.result); };
        tx.onerror = function () { reject(tx.error); };
      };
    });
  }

  function enqueue(api, data) {
    var item = { api: api };
    data.forEach(function (value, key) {
      if (key === "csrfmiddlewaretoken") return;
      if (key === "photo" && !(value && value.size)) return;
      item[key] = value;
    });
    return store("readwrite", function (s) { return s.put(item); });
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine || !window.indexedDB) return;
    flushing = true;
    store("readonly", function (s) { return s.getAll(); }).then(function (items) {
      var sent = 0;
      return (items || []).reduce(function (chain, item) {
        return chain.then(function () {
          var body = new FormData();
          Object.keys(item).forEach(function (key) { if (key !== "api") body.append(key, item[key]); });
          return fetch(item.api, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf() } })
            .then(function (response) {
              // Kept for later on a network error, a server error, a rate limit or a stale CSRF
              // token; anything else was decided by the server (saved, or refused) and is done.
              if (response.status >= 500 || response.status === 429 || response.status === 403) return;
              sent += 1;
              return store("readwrite", function (s) { return s.delete(item.client_uuid); });
            });
        });
      }, Promise.resolve()).then(function () {
        var out = document.getElementById("sync-status");
        if (sent && out) say(out.dataset.sent);
      });
    }).catch(function () {}).then(function () { flushing = false; });
  }

  function stepper(form) {
    var live = form.querySelector(".live");
    form.querySelectorAll(".step").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("aria-controls"));
      button.hidden = false;
      button.addEventListener("click", function () {
        var max = input.max === "" ? Infinity : Number(input.max);
        var next = Math.min(max, Math.max(0, (Number(input.value) || 0) + Number(button.dataset.step)));
        input.value = next;
        if (live) live.textContent = form.dataset.count.replace("{count}", next);
      });
    });
  }

  function timer(form) {
    var box = form.querySelector(".timer");
    if (!box || !window.localStorage) return;
    var key = "engawa-timer-" + form.dataset.unit;
    var button = box.querySelector(".timer-toggle"), clock = box.querySelector(".timer-clock");
    var minutes = document.getElementById(button.getAttribute("aria-controls"));
    var live = form.querySelector(".live"), tick = null;
    box.hidden = false;
    function show() {
      var started = Number(localStorage.getItem(key));
      clearInterval(tick);
      button.textContent = started ? form.dataset.timerStop : form.dataset.timerStart;
      button.setAttribute("aria-pressed", started ? "true" : "false");
      clock.textContent = "";
      if (started) {
        var draw = function () {
          var s = Math.floor((Date.now() - started) / 1000);
          clock.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
        };
        draw();
        tick = setInterval(draw, 1000);
      }
    }
    button.addEventListener("click", function () {
      var started = Number(localStorage.getItem(key));
      if (started) {
        var added = Math.max(1, Math.ceil((Date.now() - started) / 60000));
        minutes.value = (Number(minutes.value) || 0) + added;
        localStorage.removeItem(key);
        live.textContent = form.dataset.timerAdded.replace("{minutes}", added);
      } else {
        localStorage.setItem(key, String(Date.now()));
        live.textContent = form.dataset.timerStarted;
      }
      show();
    });
    show();
  }

  function logForm(form) {
    var id = form.querySelector("input[name=client_uuid]");
    id.value = uuid4(); // a fresh UUID per form load, also when the page came from the cache
    stepper(form);
    timer(form);
    form.addEventListener("submit", function (event) {
      if (form.dataset.native) return;
      event.preventDefault();
      var data = new FormData(form);
      var queue = function () {
        return enqueue(form.dataset.api, data).then(function () {
          say(form.dataset.queued);
          localStorage.removeItem("engawa-timer-" + form.dataset.unit);
          form.reset();
          id.value = uuid4();
        });
      };
      var native = function () { form.dataset.native = "1"; form.submit(); };
      if (!navigator.onLine) { queue().catch(native); return; }
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" })
        .then(function (response) {
          if (response.type === "opaqueredirect" || response.redirected) {
            localStorage.removeItem("engawa-timer-" + form.dataset.unit);
            window.location.href = form.dataset.next;
          } else {
            native(); // the server's own page, with each error next to its field
          }
        })
        .catch(function () { queue().catch(native); });
    });
  }

  document.querySelectorAll(".log-form").forEach(logForm);
  document.querySelectorAll('a[href*="/accounts/logout/"]').forEach(function (a) {
    a.addEventListener("click", function () { if (window.caches) caches.delete("engawa-pages"); });
  });
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  window.addEventListener("online", flush);
  flush();
})();
