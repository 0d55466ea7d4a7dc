// Keyboard shortcuts of the staff panel (the "?" key lists them). A key does nothing while the focus is
// in a field, or with Ctrl, Alt or Meta held, so typing and the browser's own shortcuts are never taken.
(function () {
  "use strict";

  var QUEUE_KEY = "helpline.queue";  // the tickets of the queue page seen last, for j/k on a ticket page

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable], [contenteditable=''], [contenteditable='true']"));
  }

  function rememberQueue() {
    var links = document.querySelectorAll("table.queue td.number a");
    if (!links.length) return;
    var urls = Array.prototype.map.call(links, function (link) { return link.pathname; });
    try {
      sessionStorage.setItem(QUEUE_KEY, JSON.stringify(urls));
    } catch (e) { /* storage full or off: j/k on the ticket page just does nothing */ }
  }

  function storedQueue() {
    try {
      return JSON.parse(sessionStorage.getItem(QUEUE_KEY) || "[]");
    } catch (e) {
      return [];
    }
  }

  // On a queue page j/k move between the rows (the number's link takes the focus; Enter opens it);
  // on a ticket page they open the next or previous ticket of the queue the agent came from.
  function step(delta) {
    var links = Array.prototype.slice.call(document.querySelectorAll("table.queue td.number a"));
    if (links.length) {
      var at = links.indexOf(document.activeElement);
      var next = at < 0 ? (delta > 0 ? 0 : links.length - 1) : Math.min(Math.max(at + delta, 0), links.length - 1);
      links[next].focus();
      return true;
    }
    if (!document.getElementById("details")) return false;
    var urls = storedQueue();
    var here = urls.indexOf(location.pathname);
    if (here < 0 || !urls[here + delta]) return false;
    location.assign(urls[here + delta]);
    return true;
  }

  function focusField(id) {
    var field = document.getElementById(id);
    if (!field) return false;
    field.scrollIntoView({block: "center"});
    field.focus();
    return true;
  }

  function press(id) {
    var button = document.getElementById(id);
    if (!button) return false;
    button.click();
    return true;
  }

  var dialog = null;
  var opener = null;

  function openHelp() {
    if (!dialog || dialog.open) return false;
    opener = document.activeElement;
    dialog.showModal();
    return true;
  }

  var ACTIONS = {
    "j": function () { return step(1); },
    "k": function () { return step(-1); },
    "r": function () { return focusField("reply-body"); },
    "n": function () { return focusField("note-body"); },
    "a": function () { return press("assign-me") || press("claim"); },
    "/": function () { return focusField("search-q"); },
    "?": openHelp
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (typing(event.target) || (dialog && dialog.open)) return;
    var action = ACTIONS[event.key];
    if (action && action()) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    rememberQueue();
    dialog = document.getElementById("shortcuts");
    if (!dialog) return;
    var show = document.getElementById("shortcuts-open");
    if (show) {
      show.hidden = false;  // the button means something only with this script
      show.addEventListener("click", openHelp);
    }
    document.getElementById("shortcuts-close").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () {
      if (opener && opener.focus) opener.focus();
    });
  });
})();
