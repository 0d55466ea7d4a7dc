// The queue's "All on this page" box ticks every row, and unticking a row unticks it. Without this
// script the box still works: the server then acts on every row of the page.
(function () {
  "use strict";
  var all = document.getElementById("bulk-all");
  if (!all) {
    return;
  }
  var rows = document.querySelectorAll('input[name="ticket"][form="bulk-form"]');
  all.addEventListener("change", function () {
    rows.forEach(function (row) {
      row.checked = all.checked;
    });
  });
  rows.forEach(function (row) {
    row.addEventListener("change", function () {
      if (!row.checked) {
        all.checked = false;
      }
    });
  });
})();
