/* Reminders on this phone (templates/participants/phone/reminders.html): asks the browser for a
   Web Push subscription with the site's public key and hands it to the server, or takes it away.
   Texts come from the page (data-* attributes). Nothing happens until the person taps. */
(function () {
  "use strict";
  var box = document.getElementById("push-device");
  if (!box) return;
  var button = box.querySelector("button[data-action=on]");
  var off = box.querySelector("button[data-action=off]");
  var out = box.querySelector("[data-status]");

  function say(key) { if (out) out.textContent = box.getAttribute("data-" + key) || ""; }
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function key(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }
  function send(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() }
    });
  }
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) { say("unsupported"); return; }
  box.hidden = false;
  button.addEventListener("click", function () {
    Notification.requestPermission().then(function (answer) {
      if (answer !== "granted") { say("declined"); return; }
      return navigator.serviceWorker.ready.then(function (reg) {
        return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(box.getAttribute("data-key")) });
      }).then(function (sub) {
        return send(box.getAttribute("data-subscribe"), sub.toJSON());
      }).then(function (r) { say(r.ok ? "on" : "failed"); });
    }).catch(function () { say("failed"); });
  });
  off.addEventListener("click", function () {
    navigator.serviceWorker.ready.then(function (reg) { return reg.pushManager.getSubscription(); })
      .then(function (sub) {
        if (!sub) { say("off"); return; }
        return send(box.getAttribute("data-unsubscribe"), { endpoint: sub.endpoint })
          .then(function () { return sub.unsubscribe(); }).then(function () { say("off"); });
      }).catch(function () { say("failed"); });
  });
})();
