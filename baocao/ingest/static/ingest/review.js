"use strict";
// The review page: clicking a highlighted span shows its fact, and a fact's evidence link shows the span.
document.querySelectorAll("#source-text mark").forEach(function (mark) {
  mark.addEventListener("click", function () {
    document.querySelectorAll("tr.focus").forEach(function (r) { r.classList.remove("focus"); });
    var row = document.getElementById("fact-" + mark.dataset.fact);
    if (row) { row.classList.add("focus"); row.scrollIntoView({block: "center", behavior: "smooth"}); }
  });
});
document.querySelectorAll("a.evidence").forEach(function (link) {
  link.addEventListener("click", function (event) {
    event.preventDefault();
    document.querySelectorAll("mark.focus").forEach(function (m) { m.classList.remove("focus"); });
    var mark = document.querySelector(link.getAttribute("href"));
    if (mark) { mark.classList.add("focus"); mark.scrollIntoView({block: "center", behavior: "smooth"}); }
  });
});
