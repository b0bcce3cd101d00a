/* Narrative editor: each paragraph of a report section is written as text with chips — a
   figure of the catalog or a document of the register — chosen from a picker by name or number.
   The chips carry the stored syntax ({code}, [16/KH-UBND]) in data-token; on saving, each
   paragraph is written back into its textarea, so the server receives what it always stored.
   Without this script the textareas show that syntax and still work. No inline script: the page
   may be served with a strict Content-Security-Policy. */
(function () {
  "use strict";
  var editors = document.querySelectorAll("form.section-editor");
  if (!editors.length) { return; }

  /* A rich paragraph back into the stored text: chips by their token, line breaks kept. */
  function serialize(node) {
    var out = "";
    node.childNodes.forEach(function (child) {
      if (child.nodeType === Node.TEXT_NODE) {
        out += child.nodeValue.replace(/\u00a0/g, " ");
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        if (child.hasAttribute("data-token")) {
          out += child.getAttribute("data-token");
        } else if (child.tagName === "BR") {
          out += "\n";
        } else {
          var inner = serialize(child);
          if ((child.tagName === "DIV" || child.tagName === "P") && out && !/\n$/.test(out)) { out += "\n"; }
          out += inner;
        }
      }
    });
    return out;
  }

  function makeChip(token, label, kind, missing, detail) {
    var chip = document.createElement("span");
    chip.className = "chip" + (kind === "doc" ? " chip-doc" : "") + (missing ? " chip-missing" : "");
    chip.setAttribute("contenteditable", "false");
    chip.setAttribute("data-token", token);
    if (detail) { chip.title = detail; }
    chip.textContent = label;
    return chip;
  }

  /* Switch a paragraph from its textarea to the rich view (built from the server's chips). */
  function enhance(para) {
    var source = para.querySelector("textarea.para-source");
    var rich = para.querySelector(".rich");
    if (!source || !rich || rich.getAttribute("contenteditable") === "true") { return; }
    if (!rich.childNodes.length && source.value) { rich.textContent = source.value; }
    rich.setAttribute("contenteditable", "true");
    rich.setAttribute("role", "textbox");
    rich.setAttribute("aria-multiline", "true");
    rich.setAttribute("aria-label", source.getAttribute("aria-label") || "Đoạn văn");
    rich.hidden = false;
    source.hidden = true;
  }

  editors.forEach(function (form) {
    var paras = form.querySelector(".paras");
    var template = form.querySelector("template.para-template");
    var picker = form.querySelector(".picker");
    var opener = form.querySelector(".pick-open");
    var query = form.querySelector(".picker-query");
    var list = form.querySelector(".picker-results");
    var lastRange = null, lastRich = null, timer = null;
    if (!paras || !template) { return; }

    paras.querySelectorAll(".para").forEach(enhance);
    if (opener) { opener.hidden = false; }

    function addParagraph() {
      var fresh = template.content.firstElementChild.cloneNode(true);
      paras.appendChild(fresh);
      enhance(fresh);
      var rich = fresh.querySelector(".rich");
      rich.focus();
      lastRich = rich;
      lastRange = null;
      return rich;
    }

    form.querySelector(".para-add").addEventListener("click", addParagraph);
    paras.addEventListener("click", function (e) {
      var remove = e.target.closest(".para-remove");
      if (remove) { remove.closest(".para").remove(); }
    });

    /* Remember where the caret was, so a chip goes where the clerk was writing. */
    document.addEventListener("selectionchange", function () {
      var sel = window.getSelection();
      if (!sel.rangeCount) { return; }
      var range = sel.getRangeAt(0);
      var rich = range.startContainer.nodeType === Node.ELEMENT_NODE
        ? range.startContainer.closest(".rich") : range.startContainer.parentElement.closest(".rich");
      if (rich && form.contains(rich)) { lastRich = rich; lastRange = range.cloneRange(); }
    });

    function insertChip(item) {
      var rich = lastRich && form.contains(lastRich) ? lastRich : paras.querySelector(".para:last-child .rich");
      if (!rich) { rich = addParagraph(); }
      var chip = makeChip(item.token, item.chip, item.kind, item.missing, item.sub);
      var space = document.createTextNode(" ");
      if (lastRange && rich.contains(lastRange.startContainer)) {
        lastRange.deleteContents();
        lastRange.insertNode(space);
        lastRange.insertNode(chip);
      } else {
        if (rich.textContent && !/\s$/.test(rich.textContent)) { rich.appendChild(document.createTextNode(" ")); }
        rich.appendChild(chip);
        rich.appendChild(space);
      }
      var range = document.createRange();
      range.setStartAfter(space);
      range.collapse(true);
      lastRange = range;
      lastRich = rich;
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }

    function show(results) {
      list.innerHTML = "";
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "muted";
        none.textContent = "Không tìm thấy chỉ tiêu hay văn bản nào.";
        list.appendChild(none);
        return;
      }
      results.forEach(function (item) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "pick-item pick-" + item.kind;
        if (item.value) {
          var value = document.createElement("span");
          value.className = "pick-value";
          value.textContent = item.value;
          button.appendChild(value);
        }
        button.appendChild(document.createTextNode(item.label));
        if (item.sub) {
          var sub = document.createElement("span");
          sub.className = "pick-sub";
          sub.textContent = item.sub;
          button.appendChild(sub);
        }
        button.addEventListener("mousedown", function (e) { e.preventDefault(); });
        button.addEventListener("click", function () { insertChip(item); });
        li.appendChild(button);
        list.appendChild(li);
      });
    }

    function search() {
      var url = form.getAttribute("data-search") + "?q=" + encodeURIComponent(query.value);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { show(data.results || []); })
        .catch(function () { show([]); });
    }

    if (opener && picker) {
      opener.addEventListener("mousedown", function (e) { e.preventDefault(); });
      opener.addEventListener("click", function () {
        picker.hidden = !picker.hidden;
        if (!picker.hidden) { query.focus(); search(); }
      });
      form.querySelector(".picker-close").addEventListener("click", function () { picker.hidden = true; });
      query.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 200); });
      query.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); var first = list.querySelector("button"); if (first) { first.click(); } }
        if (e.key === "Escape") { picker.hidden = true; }
      });
    }

    form.addEventListener("submit", function () {
      form.querySelectorAll(".para").forEach(function (para) {
        var rich = para.querySelector(".rich");
        var source = para.querySelector("textarea.para-source");
        if (rich && source && rich.getAttribute("contenteditable") === "true") {
          source.value = serialize(rich).replace(/[ \t]+\n/g, "\n").trim();
        }
      });
    });
  });
})();
