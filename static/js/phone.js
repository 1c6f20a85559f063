/* The participant's phone: the service worker, the stepper and timer of the progress form, the
   check-in buttons, and what the phone keeps while there is no connection (js/queue.js keeps
   and sends; this file shows). Nothing here says "sent" unless the server stored the record;
   a record the server refused stays on the phone, with its reason, until the person chooses
   what to do with it. Every text comes from the page (#phone-texts). */
(function () {
  "use strict";
  var Q = window.EngawaQueue;
  var texts = {};
  try { texts = JSON.parse(document.getElementById("phone-texts").textContent); } catch (e) {}
  function t(key, values) {
    var text = texts[key] || "";
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    return text;
  }

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
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key]; else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function clock(iso) {
    var d = new Date(iso);
    return d.getHours() + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  // --- the queue ---------------------------------------------------------------------------

  function askForBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("engawa-queue");
    }).catch(function () {});
  }

  function keep(record) {
    record.state = "waiting";
    record.made_at = record.made_at || new Date().toISOString();
    record.csrf = csrf();
    return Q.put(record).then(askForBackgroundSync);
  }

  // Sends what waits; says "sent" only for what the server stored.
  function flush() {
    if (!Q || !window.indexedDB) return Promise.resolve({ stored: 0, refused: 0, waiting: 0 });
    return Q.flush(csrf()).then(function (tally) {
      if (tally.refused) say(t("kept_notice"));
      else if (tally.stored) say(t("sent"));
      return showKept().then(function () { return tally; });
    });
  }

  // --- records the server refused: kept, with three choices ----------------------------------

  function describe(record) {
    var f = record.fields;
    if (record.kind === "answer") {
      return t(record.final ? "kept_answer" : "kept_answer_draft",
               { title: record.title || "", position: record.position || "", time: clock(record.made_at) });
    }
    if (record.kind === "check_in") {
      return t(f.kind === "end" ? "kept_check_in_end" : "kept_check_in_start", { time: clock(record.made_at) });
    }
    return t("kept_log", { title: record.title || "", label: record.label || "", time: clock(record.made_at),
                           quantity: f.quantity || 0, minutes: f.minutes || 0 });
  }

  function decideFor(record, choice) {
    record.state = "decided";
    record.decision = choice;
    return Q.put(record).then(askForBackgroundSync).then(flush).then(function () {
      return Q.all().then(function (records) {
        var still = records.some(function (r) { return r.client_uuid === record.client_uuid; });
        if (still) say(t("decision_waiting"));
        else say(t(choice === "note" ? "note_done" : "let_go_done"));
      });
    });
  }

  function editForm(record) {
    var f = record.fields, id = "edit-" + record.client_uuid;
    var form = el("form", { "class": "kept-edit stack", id: id, hidden: "" });
    function field(name, label, value, type) {
      var input = type === "textarea" ? el("textarea", { name: name, id: id + "-" + name, rows: "3" })
        : el("input", { type: "number", inputmode: "numeric", min: "0", name: name, id: id + "-" + name });
      input.value = value || (type === "textarea" ? "" : "0");
      return el("div", { "class": "field" }, [el("label", { "for": id + "-" + name, text: label }), input]);
    }
    if (record.kind === "log") {
      form.appendChild(field("quantity", t("edit_quantity"), f.quantity));
      form.appendChild(field("minutes", t("edit_minutes"), f.minutes));
      form.appendChild(field("note", t("edit_note"), f.note, "textarea"));
      if (f.photo) {
        var drop = el("input", { type: "checkbox", name: "drop_photo", id: id + "-photo" });
        form.appendChild(el("label", { "for": id + "-photo" }, [drop, document.createTextNode(" " + t("edit_drop_photo"))]));
      }
    } else if (record.kind === "answer") {
      form.appendChild(el("p", { text: t("edit_answer") }));
    } else {
      form.appendChild(el("p", { text: t("edit_check_in") }));
    }
    form.appendChild(el("button", { type: "submit", "class": "button primary", text: t("send_again") }));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (record.kind === "log") {
        f.quantity = form.elements.quantity.value;
        f.minutes = form.elements.minutes.value;
        f.note = form.elements.note.value;
        if (form.elements.drop_photo && form.elements.drop_photo.checked) delete f.photo;
      } else if (record.kind === "check_in") {
        f.tapped_at = new Date().toISOString();
      }
      delete record.refusal;
      keep(record).then(flush).then(function () { return settled(record.client_uuid); });
    });
    return form;
  }

  function keptItem(record) {
    var reason = (record.refusal && record.refusal.reason) || t("generic_reason");
    var edit = editForm(record);
    var change = el("button", { type: "button", "class": "button", text: t("change_and_send"),
                                "aria-controls": edit.id, "aria-expanded": "false" });
    change.addEventListener("click", function () {
      edit.hidden = !edit.hidden;
      change.setAttribute("aria-expanded", edit.hidden ? "false" : "true");
    });
    var note = el("button", { type: "button", "class": "button", text: t("as_note") });
    note.addEventListener("click", function () { decideFor(record, "note"); });
    var letGo = el("button", { type: "button", "class": "button quiet", text: t("let_go") });
    letGo.addEventListener("click", function () { if (window.confirm(t("let_go_confirm"))) decideFor(record, "let_go"); });
    return el("li", { "class": "card kept-record", "data-uuid": record.client_uuid }, [
      el("p", { "class": "kept-what", text: describe(record) }),
      el("p", { "class": "kept-reason" }, [el("strong", { text: t("reason_label") + " " }), document.createTextNode(reason)]),
      el("div", { "class": "actions" }, [change, note, letGo]),
      edit
    ]);
  }

  function showKept() {
    if (!Q || !window.indexedDB) return Promise.resolve();
    return Q.all().then(function (records) {
      var refused = records.filter(function (r) { return r.state === "refused"; });
      var waiting = records.filter(function (r) { return r.state === "waiting" || r.state === "decided"; });
      var old = document.getElementById("kept-records");
      if (old) old.remove();
      if (!refused.length && !waiting.length) return;
      var section = el("section", { id: "kept-records", "class": "kept", "aria-labelledby": "kept-title" }, [
        el("h2", { id: "kept-title", "class": "section-title", text: t("kept_title") })
      ]);
      if (waiting.length) section.appendChild(el("p", { "class": "muted", text: t("waiting_count", { count: waiting.length }) }));
      if (refused.length) {
        section.appendChild(el("p", { text: t("kept_intro") }));
        section.appendChild(el("ul", { "class": "units" }, refused.map(keptItem)));
      }
      var main = document.getElementById("main");
      var banner = document.getElementById("offline-copy");
      if (main) main.insertBefore(section, banner ? banner.nextSibling : main.firstChild);
    }).catch(function () {});
  }

  // Where one record stands after a try: "stored", "refused" or "waiting".
  function settled(id) {
    return Q.all().then(function (records) {
      var found = records.filter(function (r) { return r.client_uuid === id; })[0];
      if (!found) return "stored";
      return found.state === "refused" ? "refused" : "waiting";
    });
  }

  // --- the progress form -------------------------------------------------------------------

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
    var button = box.querySelector(".timer-toggle"), face = box.querySelector(".timer-clock");
    var minutes = document.getElementById(button.getAttribute("aria-controls"));
    var live = form.querySelector(".live"), tick = null;
    box.hidden = false;
    function show() {
      var started = Number(localStorage.getItem(key));
      clearInterval(tick);
      button.textContent = started ? form.dataset.timerStop : form.dataset.timerStart;
      button.setAttribute("aria-pressed", started ? "true" : "false");
      face.textContent = "";
      if (started) {
        var draw = function () {
          var s = Math.floor((Date.now() - started) / 1000);
          face.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
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

  // The server's own page (a field refused, with the error next to it), shown in place: the
  // form is not sent a second time (a refused photo used to be uploaded twice).
  function showServerPage(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("main");
    var main = document.getElementById("main");
    if (!fresh || !main) return false;
    main.innerHTML = fresh.innerHTML;
    main.querySelectorAll(".log-form").forEach(logForm);
    var alert = main.querySelector("[role=alert], .errorlist");
    if (alert && alert.scrollIntoView) alert.scrollIntoView({ block: "center" });
    return true;
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
        var fields = {};
        data.forEach(function (value, key) {
          if (key === "csrfmiddlewaretoken") return;
          if (key === "photo" && !(value && value.size)) return;
          fields[key] = value;
        });
        return keep({ client_uuid: fields.client_uuid, api: form.dataset.api, kind: "log",
                      unit: form.dataset.unit, title: form.dataset.title,
                      label: form.dataset.label, fields: fields })
          .then(function () {
            say(form.dataset.queued);
            localStorage.removeItem("engawa-timer-" + form.dataset.unit);
            form.reset();
            id.value = uuid4();
            return showKept();
          });
      };
      var native = function () { form.dataset.native = "1"; form.submit(); };
      if (!navigator.onLine) { queue().catch(native); return; }
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" })
        .then(function (response) {
          if (response.status === 413) {
            // Too large to read (server's limit): the form stays as typed, the note says so.
            say(form.dataset.tooLarge);
            var out = document.getElementById("sync-status");
            if (out && out.scrollIntoView) out.scrollIntoView({ block: "center" });
            return;
          }
          if (response.type === "opaqueredirect" || response.redirected) {
            localStorage.removeItem("engawa-timer-" + form.dataset.unit);
            window.location.href = form.dataset.next;
            return;
          }
          return response.text().then(function (html) { if (!showServerPage(html)) window.location.reload(); });
        }, function () { return queue().catch(native); });
    });
  }

  // --- check-ins: through the same queue ----------------------------------------------------

  function refreshCheckIns() {
    var box = document.getElementById("check-in");
    if (!box || !box.dataset.part) return Promise.resolve();
    return fetch(box.dataset.part, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("check-in");
        if (!fresh) return;
        box.replaceWith(fresh);
        checkInForm(fresh.querySelector(".check-in-form"));
      }).catch(function () {});
  }

  function checkInForm(form) {
    if (!form || !Q || !window.indexedDB) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var kind = event.submitter ? event.submitter.value : "start";
      var place = (form.querySelector("input[name=place]:checked") || {}).value || "home";
      var record = { client_uuid: uuid4(), api: form.dataset.api, kind: "check_in",
                     fields: { kind: kind, place: place, tapped_at: new Date().toISOString() } };
      record.fields.client_uuid = record.client_uuid;
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      keep(record).then(flush).then(function () { return settled(record.client_uuid); }).then(function (where) {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
        if (where === "stored") {
          return refreshCheckIns().then(function () { say(t(kind === "end" ? "check_in_sent_end" : "check_in_sent_start")); });
        }
        if (where === "waiting") say(t("check_in_queued"));
      }).catch(function () {
        // No IndexedDB after all: the plain form, with the button that was pressed.
        form.appendChild(el("input", { type: "hidden", name: "kind", value: kind }));
        form.submit();
      });
    });
  }

  // --- a page from the cache ---------------------------------------------------------------

  function markAsCopy() {
    var main = document.getElementById("main");
    if (!main) return;
    var banner = el("p", { id: "offline-copy", "class": "notice offline-copy", role: "status",
                           text: t("offline_copy", { time: texts.saved_at || "" }) });
    main.insertBefore(banner, main.firstChild);
    document.querySelectorAll("form[method=post]:not(.log-form):not(.check-in-form):not(.answer-form) button[type=submit], form[method=post]:not(.log-form):not(.check-in-form):not(.answer-form) button:not([type])")
      .forEach(function (button) {
        button.disabled = true;
        button.classList.add("waiting");
        button.appendChild(el("span", { "class": "waiting-label", text: t("waiting_label") }));
      });
    window.addEventListener("online", function () {
      banner.textContent = t("back_online") + " ";
      var again = el("a", { href: window.location.href, "class": "link", text: t("show_latest") });
      banner.appendChild(again);
    });
  }

  if (document.body.hasAttribute("data-offline-copy") || !navigator.onLine) markAsCopy();
  document.querySelectorAll(".log-form").forEach(logForm);
  checkInForm(document.querySelector(".check-in-form"));
  var box = document.getElementById("check-in");
  if (box && box.dataset.poll && navigator.onLine) setInterval(refreshCheckIns, 90000);
  document.querySelectorAll('a[href*="/accounts/logout/"]').forEach(function (a) {
    a.addEventListener("click", function () { if (window.caches) caches.delete("engawa-pages"); });
  });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data === "engawa-queue-changed") showKept();
    });
  }
  window.addEventListener("online", flush);
  if (navigator.onLine) flush(); else showKept();
})();
