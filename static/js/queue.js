/* Engawa's offline queue, shared by the phone's pages (js/phone.js) and the service worker
   (sw.js, for Background Sync). Each record is kept in IndexedDB under the UUID the phone gave
   it, and the server stores a UUID once, so sending a record twice never counts it twice.

   A record leaves the phone only when the server has stored it (2xx, which includes "already
   stored"), or when the person decided (sent to staff as a note, or let go) and the server
   heard that decision. Everything else keeps it:
   - no connection, a server error (5xx), 408, 429, a stale sign-in or CSRF token (401, 403),
     or an answer that is not the API's (a redirect to the sign-in page): "waiting", sent again
     later, never shown to the person as a problem;
   - any other 4xx (409 the unit went back or expired, 400 a note too long, 413 a photo too
     large, 404 the unit is gone, 400 an answer the item's form does not take): "refused", kept with the server's code and reason until the
     person decides, and reported to staff (POST /api/v1/me/unsent/). */
(function (root) {
  "use strict";
  var DB = "engawa", STORE = "queue", REPORT = "/api/v1/me/unsent/";
  var RETRY = [401, 403, 408, 425, 429];

  function store(mode, work) {
    return new Promise(function (resolve, reject) {
      if (!root.indexedDB) return reject(new Error("no IndexedDB"));
      var open = indexedDB.open(DB, 1);
      open.onupgradeneeded = function () { open.result.createObjectStore(STORE, { keyPath: "client_uuid" }); };
      open.onerror = function () { reject(open.error); };
      open.onsuccess = function () {
        var tx = open.result.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { open.result.close(); resolve(request && request.result); };
        tx.onerror = function () { reject(tx.error); };
      };
    });
  }

  // Records queued by an earlier version kept their fields at the top level.
  function normalise(item) {
    if (item.fields) return item;
    var fields = {};
    Object.keys(item).forEach(function (key) { if (key !== "api") fields[key] = item[key]; });
    return { client_uuid: item.client_uuid, api: item.api, kind: "log", state: "waiting",
             made_at: new Date().toISOString(), fields: fields };
  }

  function all() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).map(normalise);
    });
  }
  function put(record) { return store("readwrite", function (s) { return s.put(record); }); }
  function remove(id) { return store("readwrite", function (s) { return s.delete(id); }); }

  function post(url, body, csrf) {
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": csrf || "", "Accept": "application/json" }
    });
  }

  // What the server's answer means for the record: "stored", "waiting" or "refused".
  function outcome(response) {
    if (response.type === "opaqueredirect" || response.status === 0) return Promise.resolve({ is: "waiting" });
    if (response.ok) return Promise.resolve({ is: "stored" });
    if (response.status >= 500 || RETRY.indexOf(response.status) >= 0) return Promise.resolve({ is: "waiting" });
    return response.json().catch(function () { return {}; }).then(function (body) {
      var reasons = [];
      Object.keys(body.errors || {}).forEach(function (key) { reasons = reasons.concat(body.errors[key]); });
      return { is: "refused", status: response.status, code: body.code || "http_" + response.status,
               reason: reasons.length ? reasons.join(" ") : (body.detail || "") };
    });
  }

  function send(record, csrf) {
    var body = new FormData();
    Object.keys(record.fields).forEach(function (key) {
      var value = record.fields[key];
      if (value !== null && value !== undefined && value !== "") body.append(key, value);
    });
    return post(record.api, body, csrf || record.csrf).then(outcome, function () { return { is: "waiting" }; });
  }

  function report(record, csrf) {
    var f = record.fields, body = new FormData();
    body.append("client_uuid", record.client_uuid);
    // Staff's list knows logs and check-ins: an answer to an item (js/answers.js) goes as a
    // log of nothing done whose note says which item and what was typed.
    body.append("kind", record.kind === "answer" ? "log" : record.kind);
    if (record.kind === "answer") body.append("note", record.note || "");
    body.append("made_at", record.made_at);
    body.append("refusal_status", record.refusal.status);
    body.append("refusal_code", record.refusal.code);
    body.append("refusal_reason", record.refusal.reason || "");
    if (record.unit) body.append("unit", record.unit);
    ["quantity", "minutes", "note", "place"].forEach(function (key) {
      if (f[key] !== undefined && f[key] !== null && f[key] !== "") body.append(key, f[key]);
    });
    if (record.kind === "check_in") body.append("check_in_kind", f.kind);
    body.append("had_photo", f.photo ? "true" : "false");
    return post(REPORT, body, csrf || record.csrf).then(function (r) { return r.ok; }, function () { return false; });
  }

  function decide(record, csrf) {
    var body = new FormData();
    body.append("choice", record.decision);
    return post(REPORT + record.client_uuid + "/decision/", body, csrf || record.csrf)
      .then(function (r) { return r.ok; }, function () { return false; });
  }

  // One record's turn: send it, report a refusal, or carry out the person's decision.
  function step(record, csrf, tally) {
    if (record.state === "waiting") {
      return send(record, csrf).then(function (result) {
        if (result.is === "stored") { tally.stored += 1; return remove(record.client_uuid); }
        if (result.is === "waiting") { tally.waiting += 1; return; }
        tally.refused += 1;
        record.state = "refused";
        record.reported = false;
        record.refusal = { status: result.status, code: result.code, reason: result.reason };
        return put(record).then(function () { return step(record, csrf, tally); });
      });
    }
    if (record.state === "refused" && !record.reported) {
      return report(record, csrf).then(function (ok) {
        if (!ok) return;
        record.reported = true;
        return put(record);
      });
    }
    if (record.state === "decided") {
      var ready = record.reported ? Promise.resolve(true) : report(record, csrf);
      return ready.then(function (reported) {
        if (!reported) return;
        record.reported = true;
        return decide(record, csrf).then(function (ok) { if (ok) return remove(record.client_uuid); });
      });
    }
    return Promise.resolve();
  }

  var running = null;
  // Sends what waits, one record at a time; resolves to {stored, refused, waiting}.
  function flush(csrf) {
    if (running) return running;
    var tally = { stored: 0, refused: 0, waiting: 0 };
    running = all().then(function (records) {
      return records.reduce(function (chain, record) {
        return chain.then(function () { return step(record, csrf, tally); });
      }, Promise.resolve());
    }).catch(function () {}).then(function () { running = null; return tally; });
    return running;
  }

  root.EngawaQueue = { all: all, put: put, remove: remove, flush: flush, send: send };
})(typeof self !== "undefined" ? self : window);
