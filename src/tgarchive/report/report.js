/* tgarchive report: draws the charts of the page from its embedded JSON data.
   Plain ES5, no library, no network: every mark is an SVG element made here. */
(function () {
  "use strict";
  var NS = "http" + "://www.w3.org/2000/svg"; /* the SVG namespace name, never fetched */
  var PALETTE = ["#3b6fd8", "#e0803a", "#4aa36b", "#c2495b", "#8a63c9", "#2aa1b3", "#b5922c",
                 "#d4639b", "#6b7b8c", "#7fae3a"];

  function el(name, attrs, parent, text) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, key)) node.setAttribute(key, attrs[key]);
    }
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function fmt(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function short(label, max) {
    return label.length > max ? label.slice(0, max - 1) + "\u2026" : label;
  }

  function niceMax(value) {
    if (value <= 0) return 1;
    var step = Math.pow(10, Math.floor(Math.log(value) / Math.LN10));
    var units = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < units.length; i++) {
      if (units[i] * step >= value) return units[i] * step;
    }
    return 10 * step;
  }

  function mark(parent, attrs, row, color) {
    attrs["class"] = "mark";
    attrs["fill"] = color;
    attrs["data-key"] = row[0];
    attrs["data-value"] = row[1];
    var node = el("rect", attrs, parent);
    el("title", {}, node, row[0] + ": " + fmt(row[1]));
    return node;
  }

  /* The plot's width in CSS pixels: charts are laid out at their real size, never scaled. */
  function widthOf(figure) {
    var w = Math.floor(figure.querySelector(".plot").getBoundingClientRect().width);
    return w > 0 ? Math.max(w, 320) : 760;
  }

  function svg(figure, width, height, label) {
    return el("svg", {
      viewBox: "0 0 " + width + " " + height, width: width, height: height, role: "img",
      "aria-label": label
    }, figure.querySelector(".plot"));
  }

  function resize(root, width, height) {
    root.setAttribute("viewBox", "0 0 " + width + " " + height);
    root.setAttribute("height", height);
  }

  /* Vertical bars over time (posts per month). */
  function columns(figure, rows) {
    var W = widthOf(figure), H = 260, left = 48, right = 8, top = 12, bottom = 28;
    var root = svg(figure, W, H, figure.dataset.title);
    var max = 0;
    rows.forEach(function (r) { max = Math.max(max, r[1]); });
    var top_ = niceMax(max);
    var plotW = W - left - right, plotH = H - top - bottom;
    for (var t = 0; t <= 4; t++) {
      var value = top_ * t / 4, y = top + plotH - plotH * t / 4;
      if (Math.round(value) !== value) continue; /* counts are whole numbers */
      el("line", { x1: left, x2: W - right, y1: y, y2: y, "class": "grid" }, root);
      el("text", { x: left - 6, y: y + 4, "class": "tick", "text-anchor": "end" }, root,
         fmt(value));
    }
    var slot = Math.min(plotW / rows.length, 64), gap = Math.min(8, slot * 0.2);
    var every = Math.ceil(rows.length / Math.max(1, Math.floor(plotW / 64)));
    rows.forEach(function (r, i) {
      var h = plotH * r[1] / top_, x = left + i * slot + gap / 2;
      mark(root, { x: x, y: top + plotH - h, width: Math.max(1, slot - gap), height: h }, r,
           PALETTE[0]);
      if (i % every === 0) {
        el("text", { x: x + (slot - gap) / 2, y: H - bottom + 16, "class": "tick",
                     "text-anchor": "middle" }, root, r[0]);
      }
    });
  }

  /* Horizontal bars, largest first (reactions, sources, domains). */
  function bars(figure, rows) {
    var W = widthOf(figure), row = 26, left = Math.min(200, Math.round(W * 0.36)), right = 56;
    var top = 6, chars = Math.floor((left - 12) / 7);
    var H = top * 2 + row * rows.length;
    var root = svg(figure, W, H, figure.dataset.title);
    var max = 1;
    rows.forEach(function (r) { max = Math.max(max, r[1]); });
    var color = PALETTE[Number(figure.dataset.color || 0) % PALETTE.length];
    rows.forEach(function (r, i) {
      var y = top + i * row, w = (W - left - right) * r[1] / max;
      var label = el("text", { x: left - 8, y: y + row / 2 + 5, "class": "label",
                               "text-anchor": "end" }, root, short(r[0], chars));
      /* Shorten a label until it fits its column (measured, whatever the script or font). */
      for (var n = chars - 1; n > 1 && label.getComputedTextLength() > left - 12; n--) {
        label.textContent = short(r[0], n);
      }
      el("title", {}, label, r[0]);
      mark(root, { x: left, y: y + 4, width: Math.max(1, w), height: row - 8, rx: 3 }, r, color);
      el("text", { x: left + w + 6, y: y + row / 2 + 5, "class": "value" }, root, fmt(r[1]));
    });
  }

  /* One bar split by share (the language mix), with a legend. */
  function shares(figure, rows) {
    var W = widthOf(figure), H = 96, barH = 34;
    var root = svg(figure, W, H, figure.dataset.title);
    var total = 0;
    rows.forEach(function (r) { total += r[1]; });
    var x = 0, lx = 0, ly = barH + 30;
    rows.forEach(function (r, i) {
      var w = total ? W * r[1] / total : 0, color = PALETTE[i % PALETTE.length];
      mark(root, { x: x, y: 0, width: w, height: barH }, r, color);
      x += w;
      var pct = total ? Math.round(1000 * r[1] / total) / 10 : 0;
      var text = r[0] + " " + pct + " % (" + fmt(r[1]) + ")";
      if (lx + 14 + text.length * 7.5 > W) { lx = 0; ly += 22; }
      el("rect", { x: lx, y: ly - 11, width: 12, height: 12, rx: 2, fill: color }, root);
      el("text", { x: lx + 18, y: ly, "class": "label" }, root, text);
      lx += 36 + text.length * 7.5;
    });
    resize(root, W, ly + 10);
  }

  var KINDS = { columns: columns, bars: bars, shares: shares };

  function draw() {
    var data = JSON.parse(document.getElementById("tgarchive-data").textContent);
    var figures = document.querySelectorAll("figure.chart");
    for (var i = 0; i < figures.length; i++) {
      var figure = figures[i], rows = data.charts[figure.dataset.chart] || [];
      if (rows.length === 0) {
        figure.querySelector(".plot").textContent = "Nothing to show: the export has none.";
      } else {
        KINDS[figure.dataset.kind](figure, rows);
      }
      figure.dataset.drawn = String(figure.querySelectorAll(".mark").length);
    }
    document.documentElement.dataset.ready = "true";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
