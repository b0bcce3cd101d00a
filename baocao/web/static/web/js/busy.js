// Long work shows that it is under way: a form or link marked data-busy="…" disables its
// button and shows a spinner with that text until the next page (or the download) arrives.
(function () {
  "use strict";
  function overlay(text) {
    var box = document.getElementById("busy");
    if (!box) {
      box = document.createElement("div");
      box.id = "busy";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      box.innerHTML = '<span class="spinner" aria-hidden="true"></span><span class="busy-text"></span>';
      document.body.appendChild(box);
    }
    box.querySelector(".busy-text").textContent = text;
    box.hidden = false;
    return box;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.busy || event.defaultPrevented) return;
    overlay(form.dataset.busy);
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-busy]");
    if (!link) return;
    var box = overlay(link.dataset.busy);
    // A download does not leave the page: hide the spinner once the file has had time to start.
    if (link.hasAttribute("download") || link.dataset.download) {
      setTimeout(function () { box.hidden = true; }, 8000);
    }
  });
  window.addEventListener("pageshow", function () {
    var box = document.getElementById("busy");
    if (box) box.hidden = true;
  });
})();
