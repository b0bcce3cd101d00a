// Follows every unfinished job on the page: polls its status and moves its bar; when one ends,
// reloads so that the result, the error and the buttons appear.
(function () {
  "use strict";
  const POLL_MS = 1500;
  function follow(box) {
    const url = box.dataset.statusUrl;
    const bar = box.querySelector('[data-role="bar"]');
    const tick = async function () {
      let status;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) { return; }
        status = await response.json();
      } catch (e) { setTimeout(tick, POLL_MS * 2); return; }
      const p = status.progress;
      if (p.percent !== null) {
        bar.style.width = p.percent + "%";
        box.querySelector(".progress").setAttribute("aria-valuenow", p.percent);
      }
      box.querySelector('[data-role="count"]').textContent = p.total ? p.current + "/" + p.total : "";
      box.querySelector('[data-role="message"]').textContent = status.message || "";
      const state = box.querySelector('[data-role="state"]');
      state.textContent = status.state_label;
      state.className = "badge job-" + status.state;
      if (status.finished) { window.location.reload(); return; }
      setTimeout(tick, POLL_MS);
    };
    setTimeout(tick, POLL_MS);
  }
  document.querySelectorAll('.job-progress[data-finished="0"]').forEach(follow);
})();
