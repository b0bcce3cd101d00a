/* Data-entry form: reads Vietnamese numbers as they are typed ("1.599", "73,95", "ước 76 tỷ"),
   recomputes the derived figures (rates) from the catalog formulas, and tidies a number's
   grouping when the box is left. Formulas are parsed here, never passed to eval(). */
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) { return; }
  var formulas = JSON.parse(document.getElementById("entry-formulas").textContent || "{}");
  var outside = JSON.parse(document.getElementById("entry-outside").textContent || "{}");
  var fmt2 = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });

  var QUALIFIER = /^(ước tính khoảng|ước đạt khoảng|ước khoảng|ước tính|ước đạt|ước là|xấp xỉ|khoảng|gần|ước|nhiều hơn|hơn|trên|chưa đến|chưa tới|ít hơn|dưới)\s+/i;
  var SCALE = { "nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9 };

  /* The number a text means, or null when it is empty, NaN when it cannot be read. */
  function parseVN(text) {
    var s = (text || "").normalize("NFC").trim().replace(/\s+/g, " ");
    if (!s) { return null; }
    s = s.replace(QUALIFIER, "");
    s = s.replace(/\s*(%|đồng|đ|vnđ)\.?$/i, "");
    var factor = 1;
    var m = s.match(/^(.*?)\s*(nghìn|ngàn|triệu|tỷ|tỉ)$/i);
    if (m) { s = m[1]; factor = SCALE[m[2].toLowerCase()]; }
    var n;
    if (/^(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/.test(s)) {
      n = parseFloat(s.replace(/\./g, "").replace(",", "."));
    } else if (/^\d+\.(\d{1,2}|\d{4,})$/.test(s)) {
      n = parseFloat(s);
    } else {
      return NaN;
    }
    return n * factor;
  }

  function decimalsTyped(text) {
    var m = (text || "").match(/,(\d+)/) || (text || "").match(/^\d+\.(\d{1,2}|\d{4,})$/);
    return m ? m[1].length : 0;
  }

  /* -- formulas: expr := term (('+'|'-') term)*, term := factor (('*'|'/') factor)* ---------- */
  function tokenize(text) {
    var re = /\s*(\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*|[-+*\/()])/y;
    var tokens = [], m;
    re.lastIndex = 0;
    while (re.lastIndex < text.length && (m = re.exec(text))) { tokens.push(m[1]); }
    return tokens;
  }
  function parseFormula(text) {
    var t = tokenize(text), i = 0;
    function peek() { return t[i]; }
    function next() { return t[i++]; }
    function factor() {
      var tok = next();
      if (tok === "-") { var inner = factor(); return function (v) { var x = inner(v); return x === null ? null : -x; }; }
      if (tok === "+") { return factor(); }
      if (tok === "(") { var e = expr(); next(); return e; }
      if (/^\d/.test(tok)) { var num = parseFloat(tok); return function () { return num; }; }
      return function (v) { var x = v(tok); return (x === null || isNaN(x)) ? null : x; };
    }
    function term() {
      var left = factor();
      while (peek() === "*" || peek() === "/") {
        var op = next(), l = left, r = factor();
        left = (function (l, r, op) {
          return function (v) {
            var a = l(v), b = r(v);
            if (a === null || b === null) { return null; }
            if (op === "/") { return b === 0 ? null : a / b; }
            return a * b;
          };
        })(l, r, op);
      }
      return left;
    }
    function expr() {
      var left = term();
      while (peek() === "+" || peek() === "-") {
        var op = next(), l = left, r = term();
        left = (function (l, r, op) {
          return function (v) {
            var a = l(v), b = r(v);
            if (a === null || b === null) { return null; }
            return op === "+" ? a + b : a - b;
          };
        })(l, r, op);
      }
      return left;
    }
    return expr();
  }

  var compiled = {};
  Object.keys(formulas).forEach(function (code) { compiled[code] = parseFormula(formulas[code]); });

  function inputFor(code) { return form.querySelector('input[data-code="' + code + '"]'); }

  /* A code's value: what is typed in its box, else its own formula, else the server's value. */
  function valueOf(code, depth) {
    var box = inputFor(code);
    if (box) {
      var n = parseVN(box.value);
      if (n !== null && !isNaN(n)) { return n; }
    }
    if (compiled[code] && (depth || 0) < 10) {
      return compiled[code](function (c) { return valueOf(c, (depth || 0) + 1); });
    }
    if (Object.prototype.hasOwnProperty.call(outside, code)) { return parseFloat(outside[code]); }
    return null;
  }

  function money(n) {
    if (n >= 1e9 && Math.round(n) % 1e6 === 0) {
      return new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 3 }).format(n / 1e9) + " tỷ đồng";
    }
    return fmt2.format(n) + " đồng";
  }
  function shown(n, unit) {
    if (unit === "%") { return fmt2.format(n) + "%"; }
    if (unit === "đồng") { return money(n); }
    return fmt2.format(n);
  }

  function recompute() {
    Object.keys(compiled).forEach(function (code) {
      var span = form.querySelector('[data-computed="' + code + '"]');
      if (!span) { return; }
      var value = compiled[code](function (c) { return valueOf(c, 1); });
      var empty = form.querySelector('[data-computed-empty="' + code + '"]');
      span.classList.remove("mismatch");
      span.removeAttribute("data-mismatch");
      span.removeAttribute("title");
      if (value === null || !isFinite(value)) {
        span.textContent = "";
        if (empty) { empty.hidden = false; }
        return;
      }
      if (empty) { empty.hidden = true; }
      span.textContent = shown(value, span.getAttribute("data-unit"));
      span.setAttribute("data-value", String(value));
      var box = inputFor(code);
      var typed = box ? parseVN(box.value) : null;
      if (typed !== null && !isNaN(typed)) {
        var tolerance = Math.pow(10, -decimalsTyped(box.value));
        if (Math.abs(typed - value) >= tolerance) {
          span.classList.add("mismatch");
          span.setAttribute("data-mismatch", "1");
          span.textContent += " ≠ " + shown(typed, span.getAttribute("data-unit"));
          span.setAttribute("title", "Số ghi khác số tính được từ các thành phần");
        }
      }
    });
  }

  /* Amounts are typed in đồng; say them back in tỷ/triệu so a missing zero shows at once. */
  function moneyHints() {
    form.querySelectorAll("[data-money-for]").forEach(function (hint) {
      var box = inputFor(hint.getAttribute("data-money-for"));
      var n = box ? parseVN(box.value) : null;
      hint.textContent = (n === null || isNaN(n)) ? "" : money(n);
    });
  }

  function markValidity(box) {
    var n = parseVN(box.value);
    box.classList.toggle("invalid", n !== null && (isNaN(n) || n < 0));
    box.setAttribute("aria-invalid", box.classList.contains("invalid") ? "true" : "false");
  }

  /* Leaving a box: write a plain number back with Vietnamese grouping ("1599" → "1.599"). */
  function tidy(box) {
    var text = box.value.trim();
    if (!/^[\d.,]+$/.test(text)) { return; }
    var n = parseVN(text);
    if (n === null || isNaN(n)) { return; }
    var decimals = decimalsTyped(text);
    box.value = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(n);
  }

  /* Saving sends only the rows the person changed, so that a save costs what it changes: a row
     whose value, qualifier or comment differs from what the page showed goes with its shown value
     and version (the stale-write check), a changed plan with its own; the others stay out and the
     server leaves them as stored. A page shown again after a refused save (data-send-all) sends
     every box, as a browser without this script does. */
  function changed(box) {
    if (box.tagName === "SELECT") {
      var shownOption = Array.prototype.find.call(box.options, function (o) { return o.defaultSelected; }) || box.options[0];
      return box.value !== (shownOption ? shownOption.value : "");
    }
    return box.value !== box.defaultValue;
  }
  var ROW_BOX = /^(?:initial-|b:)?([vtqc]):(.+)$/;
  function rowOf(name) {
    var m = name.match(ROW_BOX);
    return m ? (m[1] === "t" ? "t:" : "v:") + m[2] : null;
  }
  form.addEventListener("formdata", function (e) {
    if (form.hasAttribute("data-send-all")) { return; }
    var keep = {};
    form.querySelectorAll("input[name], select[name]").forEach(function (box) {
      var row = rowOf(box.name);
      if (row && !box.disabled && changed(box)) { keep[row] = true; }
    });
    Array.from(e.formData.keys()).forEach(function (name) {
      var row = rowOf(name);
      if (row && !keep[row]) { e.formData.delete(name); }
    });
  });

  form.addEventListener("input", function (e) {
    if (e.target.matches("input.num")) { markValidity(e.target); recompute(); moneyHints(); }
  });
  form.addEventListener("change", function (e) {
    if (e.target.matches("input.num")) { tidy(e.target); markValidity(e.target); recompute(); }
  });
  recompute();
})();
