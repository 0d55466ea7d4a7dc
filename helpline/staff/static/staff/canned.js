// Canned responses on the ticket page: "Insert" puts the chosen response's text at the cursor of the reply
// box, without reloading the page, and ticks the box that sends its files with the reply. Without this
// script the same button reloads the page with the reply box filled.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const picker = document.getElementById("canned-picker");
  const box = document.getElementById("reply-body");
  if (!picker || !box) {
    return;
  }
  const choice = picker.querySelector("select[name=canned]");
  picker.addEventListener("submit", async (event) => {
    event.preventDefault();
    const url = picker.dataset.insertUrl.replace(/\/0\/$/, `/${encodeURIComponent(choice.value)}/`);
    let data;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      data = await response.json();
    } catch {
      picker.submit(); // the page itself says why (a refused response answers with its reason)
      return;
    }
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? start;
    box.setRangeText(data.text, start, end, "end");
    box.focus();
    const files = document.getElementById("reply-canned-files");
    const tick = document.getElementById("reply-canned");
    if (files && tick) {
      tick.value = String(data.id);
      tick.checked = data.files.length > 0;
      files.hidden = data.files.length === 0;
      document.getElementById("reply-canned-names").textContent = data.files.join(", ");
    }
  });
});
