// The soft lock on replying (tickets.reply_locks): while the reply's text changes, tell the server every
// 30 seconds or so that this agent is writing, so the others see "Sam is replying". The first keystroke
// tells it at once. It never blocks anyone; without this script the "Reply" button takes the lock.
(function () {
  "use strict";
  var form = document.getElementById("reply-form");
  if (!form || !form.dataset.heartbeat || !window.fetch) {
    return;
  }
  var body = form.querySelector("textarea[name=body]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!body || !token) {
    return;
  }
  var PERIOD_MS = 30000;
  var changed = false;
  var timer = null;

  function beat() {
    if (!changed) {
      return;
    }
    changed = false;
    fetch(form.dataset.heartbeat, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value },
    }).catch(function () {
      changed = true; // try again with the next beat
    });
  }

  body.addEventListener("input", function () {
    changed = true;
    if (timer === null) {
      beat();
      timer = window.setInterval(beat, PERIOD_MS);
    }
  });

  // Typing takes the lock: the button for browsers without JavaScript is not needed.
  document.querySelectorAll("[data-reply-start]").forEach(function (element) {
    element.hidden = true;
  });
})();
