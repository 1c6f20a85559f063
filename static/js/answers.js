/* The answer form of a digital item (templates/participants/items/item.html). Drafts are saved
   as they are typed, after a short pause: straight to the server when it answers, and into the
   offline queue (js/queue.js) when it does not, so a lost connection or a closed tab loses
   nothing. 「保存して次へ」 goes as the plain form when there is a connection (the server puts each
   message beside its field) and into the same queue when there is none. Each save carries a new
   UUID and the moment it was made: the server stores a UUID once and ignores a save older than
   the one it has. The keyboard's "next" moves to the following field. */
(function () {
  "use strict";
  var form = document.querySelector(".answer-form");
  var Q = window.EngawaQueue;
  if (!form) return;
  var id = form.querySelector("input[name=client_uuid]");
  var canQueue = !!(Q && window.indexedDB);

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  id.value = uuid4(); // a fresh UUID per load, also when the page came from the cache

  function say(text) {
    var out = document.getElementById("sync-status");
    if (out) out.textContent = text;
  }
  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function values() {
    var out = {};
    form.querySelectorAll("[name^='v-']").forEach(function (input) {
      var key = input.name.slice(2);
      if (input.type === "checkbox") {
        out[key] = out[key] || [];
        if (input.checked) out[key].push(input.value);
      } else if (input.type === "radio") {
        if (!(key in out)) out[key] = "";
        if (input.checked) out[key] = input.value;
      } else {
        out[key] = input.value;
      }
    });
    return out;
  }
  function cantRead() {
    var box = form.querySelector("input[name=cant_read]");
    return !!(box && box.checked);
  }

  // What staff read if the server refuses this save and the person sends it to them as a note.
  function noteFor(answer) {
    var parts = Object.keys(answer).map(function (key) {
      var value = answer[key];
      return key + ": " + (Array.isArray(value) ? value.join("、") : value);
    });
    return (form.dataset.title + " #" + form.dataset.position + " — " + parts.join(" / ")).slice(0, 900);
  }

  function record(final) {
    var uuid = uuid4(), now = new Date().toISOString(), answer = values();
    return { client_uuid: uuid, api: form.dataset.api, kind: "answer", unit: form.dataset.unit,
             item: form.dataset.item, title: form.dataset.title, position: form.dataset.position,
             final: final, made_at: now, note: noteFor(answer),
             fields: { client_uuid: uuid, values: JSON.stringify(answer), cant_read: cantRead() ? "true" : "false",
                       final: final ? "true" : "false", client_saved_at: now } };
  }

  function askForBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("engawa-queue");
    }).catch(function () {});
  }

  // A newer save of the same item replaces the older ones still waiting (the server would
  // ignore them as older anyway), except that a draft never replaces a 「保存して次へ」.
  function keep(rec) {
    rec.state = "waiting";
    rec.csrf = csrf();
    return Q.all().then(function (records) {
      var older = records.filter(function (r) {
        return r.kind === "answer" && r.item === rec.item && r.state === "waiting" && (rec.final || !r.final);
      });
      return older.reduce(function (chain, r) {
        return chain.then(function () { return Q.remove(r.client_uuid); });
      }, Promise.resolve());
    }).then(function () { return Q.put(rec); }).then(askForBackgroundSync);
  }

  function markProblems(reason) {
    // A draft the form does not take (a letter in a number field): said once, calmly; the
    // field's own message comes with 「保存して次へ」.
    say(reason);
  }

  // --- drafts as typed ------------------------------------------------------------------------
  var pause = null, last = JSON.stringify(values()) + cantRead();
  function saveDraft() {
    pause = null;
    var now = JSON.stringify(values()) + cantRead();
    if (now === last) return Promise.resolve();
    last = now;
    var rec = record(false);
    rec.csrf = csrf();
    var queue = function () { return keep(rec).then(function () { say(form.dataset.draftQueued); }); };
    if (!navigator.onLine) return queue().catch(function () {});
    say(form.dataset.saving);
    return Q.send(rec, csrf()).then(function (result) {
      if (result.is === "stored") return say(form.dataset.draftSaved);
      if (result.is === "waiting") return queue();
      markProblems(result.reason);
    }).catch(function () {});
  }
  if (form.dataset.autosave && canQueue) {
    var later = function () { clearTimeout(pause); pause = setTimeout(saveDraft, 1200); };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    window.addEventListener("pagehide", function () { if (pause) { clearTimeout(pause); saveDraft(); } });
  }

  // --- the keyboard's "next" ------------------------------------------------------------------
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || target.getAttribute("enterkeyhint") !== "next") return;
    event.preventDefault();
    var fields = Array.prototype.filter.call(
      form.querySelectorAll("input:not([type=hidden]), textarea, select"), function (f) { return !f.disabled; });
    var following = fields[fields.indexOf(target) + 1];
    if (following) following.focus();
  });

  // --- 「保存して次へ」 ---------------------------------------------------------------------------
  function showServerPage(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("main");
    var main = document.getElementById("main");
    if (!fresh || !main) return false;
    main.innerHTML = fresh.innerHTML;
    var alert = main.querySelector("[role=alert], .errorlist");
    if (alert && alert.scrollIntoView) alert.scrollIntoView({ block: "center" });
    return true;
  }

  form.addEventListener("submit", function (event) {
    if (form.dataset.native || !canQueue) return;
    var draftOnly = event.submitter && event.submitter.hasAttribute("formaction");
    if (draftOnly) return; // 「途中まで保存」: the plain form
    event.preventDefault();
    clearTimeout(pause);
    pause = null;
    var rec = record(true);
    var queue = function () {
      return keep(rec).then(function () {
        last = JSON.stringify(values()) + cantRead();
        say(form.dataset.queued);
      }).catch(function () { form.dataset.native = "1"; form.submit(); });
    };
    if (!navigator.onLine) { queue(); return; }
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.redirected) {
          window.location.href = form.dataset.next;
          return;
        }
        return response.text().then(function (html) { if (!showServerPage(html)) window.location.reload(); });
      }, queue);
  });
})();
