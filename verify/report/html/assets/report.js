(function () {
  "use strict";
  var body = document.body;
  body.classList.add("js");
  var claims = Array.prototype.slice.call(document.querySelectorAll(".claim[data-detail]"));
  var empty = document.getElementById("evidence-empty");
  var current = null;
  function shown(el) { return !body.classList.contains("hide-" + el.getAttribute("data-verdict")); }
  function detailOf(el) { return document.getElementById(el.getAttribute("data-detail")); }
  function select(el) {
    if (current === el) { return; }
    if (current) {
      current.classList.remove("active");
      current.setAttribute("aria-pressed", "false");
      var old = detailOf(current);
      if (old) { old.hidden = true; }
    }
    current = el;
    if (empty) { empty.hidden = !!el; }
    if (!el) { return; }
    el.classList.add("active");
    el.setAttribute("aria-pressed", "true");
    var det = detailOf(el);
    if (det) { det.hidden = false; }
    var panel = document.getElementById("evidence-panel");
    if (panel) { panel.scrollTop = 0; }
  }
  function reveal(el) {
    // one column (a phone): the evidence sits below the article, so bring it into view
    var det = detailOf(el);
    if (!det) { return; }
    var top = det.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.6) { det.scrollIntoView({block: "start"}); }
  }
  function move(delta) {
    var list = claims.filter(shown);
    if (!list.length) { return; }
    var i = current ? list.indexOf(current) : -1;
    var j = i < 0 ? (delta > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + delta));
    list[j].focus();
    select(list[j]);
  }
  claims.forEach(function (el) {
    el.addEventListener("click", function () { select(el); reveal(el); });
    el.addEventListener("focus", function () { if (shown(el)) { select(el); } });
    el.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        select(el);
        var det = detailOf(el);
        if (det) { det.focus(); }
      } else if (ev.key === "ArrowDown" || ev.key === "ArrowRight") {
        ev.preventDefault(); move(1);
      } else if (ev.key === "ArrowUp" || ev.key === "ArrowLeft") {
        ev.preventDefault(); move(-1);
      }
    });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) { return; }
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) { return; }
    if (ev.key === "j") { ev.preventDefault(); move(1); }
    else if (ev.key === "k") { ev.preventDefault(); move(-1); }
    else if (ev.key === "Escape" && current) {
      if (current.contains(document.activeElement) || document.activeElement === current) { select(null); }
      else { current.focus(); }
    }
  });
  var rows = Array.prototype.slice.call(document.querySelectorAll(".rw-row"));
  function rowShown(el) { return !body.classList.contains("rw-hide-" + el.getAttribute("data-kind")); }
  rows.forEach(function (el) {
    el.addEventListener("keydown", function (ev) {
      var down = ev.key === "j" || ev.key === "ArrowDown", up = ev.key === "k" || ev.key === "ArrowUp";
      var step = down ? 1 : up ? -1 : 0;
      if (!step || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
      ev.preventDefault();
      var list = rows.filter(rowShown);
      var j = Math.min(list.length - 1, Math.max(0, list.indexOf(el) + step));
      if (list[j]) { list[j].focus(); }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[data-rw-filter]"), function (box) {
    box.addEventListener("change", function () {
      body.classList.toggle("rw-hide-" + box.value, !box.checked);
      rows.forEach(function (el) { el.tabIndex = rowShown(el) ? 0 : -1; });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (box) {
    box.addEventListener("change", function () {
      body.classList.toggle("hide-" + box.value, !box.checked);
      claims.forEach(function (el) {
        var on = shown(el);
        el.tabIndex = on ? 0 : -1;
        if (on) { el.setAttribute("role", "button"); } else { el.removeAttribute("role"); }
      });
      if (current && !shown(current)) { select(null); }
    });
  });
})();
