// The explorer's page (DESIGN §9): reads the data block that ishiki wrote
// into this file, and shows it as views chosen by the address
// (#year=2025&dept=0101&view=heatmap). It never connects anywhere; the
// Content-Security-Policy of the page forbids it.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("ishiki-data").textContent);
  const NONE = "—";
  const OVERALL = DATA.categories.length - 1;
  const REASONS = {
    too_few: "回答者が" + DATA.k + "人未満のため非表示",
    differencing: "他の区分の推計を防ぐため非表示",
    small_count: "少数のため非表示",
  };
  const VIEWS = [
    { id: "heatmap", name: "所属×カテゴリ", draw: drawHeatmap },
    { id: "profile", name: "所属と市全体", draw: drawProfile },
    { id: "trend", name: "推移", draw: drawTrend },
    { id: "cuts", name: "属性別", draw: drawCuts },
    { id: "items", name: "設問別", draw: drawItems },
    { id: "portfolio", name: "重要度と点数", draw: drawPortfolio },
    { id: "plan", name: "目標の進捗", draw: drawPlan },
    { id: "response", name: "回答率", draw: drawResponse },
    { id: "changes", name: "前年度からの変化", draw: drawChanges },
    { id: "numbers", name: "数値の一覧", draw: drawNumbers },
    { id: "about", name: "方法と秘密の保護", draw: drawAbout },
  ];
  const MODES = {
    score: "点数",
    city: "市のほかの職員との差",
    delta: "前年度との差",
  };
  const charts = [];
  // The families whose tests Benjamini–Hochberg adjusts together (DESIGN §10), as the page names them.
  const FAMILY = {
    cityChange: "市全体のカテゴリと総合の前年度との差どうしで",
    deptChange: "その年度のすべての所属とカテゴリ（総合を含む）の前年度との差どうしで",
    cutChange: "その年度の市全体と所属のすべての属性の区分とカテゴリの前年度との差どうしで",
    deptCity: "その年度のすべての所属とカテゴリ（総合を含む）の市のほかの職員との差どうしで",
    items: "同じ集団の設問の前年度との差と市のほかの職員との差どうしで",
  };
  function starNote(family) { return "＊は、" + FAMILY[family] + "偽発見率を5%に抑える調整（Benjamini–Hochberg 法）をしても差があるといえるものです。"; }
  // Item blocks of a group: each category's items, then the outcome questions.
  const BLOCKS = OVERALL + (DATA.items.some((q) => q.category == null) ? 1 : 0);
  const blockItems = [];
  for (let b = 0; b < BLOCKS; b++) blockItems.push(DATA.items.filter((q) => (b < OVERALL ? q.category === b : q.category == null)));
  function blockName(b) { return b < OVERALL ? DATA.categories[b].name : "結果の設問"; }
  // The quadrants of the portfolio, as the reports name and colour them.
  const QUADRANTS = ["重点改善", "強みの維持", "現状維持", "改善検討"];
  const PRIORITY = "#d9822b";
  // The status colours of the committee report's badges (report-templates/committee.typ).
  const STATUS_COLORS = {
    achieved: "#2E7D32", on_track: "#3B6EA8", behind: "#C77700", worse: "#B3261E",
    missed: "#7A2E5C", no_data: "#8A8A8A", tracked: "#6B7F99",
  };

  // ---- numbers as the reports print them -------------------------------
  function one(v) { return v == null ? NONE : v.toFixed(1); }
  // The data block holds scores, rates and differences in tenths (623 is 62.3).
  function tenth(v) { return v == null ? null : v / 10; }
  function change(v) {
    if (v == null) return NONE;
    const r = Math.abs(v).toFixed(1);
    if (r === "0.0") return "±0.0";
    return (v > 0 ? "+" : "▲") + r;
  }
  function count(n) { return n == null ? NONE : n.toLocaleString("ja-JP"); }
  function mark(b) { return b ? "＊" : ""; }

  // ---- the data of one year, indexed -----------------------------------
  const yearCache = new Map();
  function yearData(year) {
    if (yearCache.has(year)) return yearCache.get(year);
    const y = DATA.years.find((x) => x.year === year);
    if (!y) return null;
    const C = DATA.categories.length;
    const g = y.groups;
    const cellAt = [], cityAt = [], byKey = new Map();
    let cell = 0, city = 0;
    const marked = new Set(y.cells.delta_marked);
    const cityMarked = new Set(y.city.marked);
    for (let i = 0; i < g.department.length; i++) {
      const code = y.departments.code[g.department[i]];
      const cut = g.cut[i];
      byKey.set(key(code, cut), i);
      if (g.hidden[i] == null) {
        cellAt.push(cell);
        cell += C;
        if (code !== "ALL" && cut == null) { cityAt.push(city); city += C; } else cityAt.push(-1);
      } else { cellAt.push(-1); cityAt.push(-1); }
    }
    const children = y.departments.code.map(() => []);
    y.departments.parent.forEach((p, d) => { if (p != null) children[p].push(d); });
    // Where each whole group's item blocks start: {group index: [cell offset of each block, or a reason / "absent"]}.
    const itemBlocks = new Map();
    let itemCell = 0;
    y.items.groups.forEach((gi, pos) => {
      const starts = [];
      for (let b = 0; b < BLOCKS; b++) {
        const at = pos * BLOCKS + b;
        const reason = y.items.withheld[String(at)];
        if (reason) starts.push({ withheld: reason });
        else if (y.items.absent.includes(at)) starts.push({ absent: true });
        else { starts.push({ at: itemCell }); itemCell += blockItems[b].length; }
      }
      itemBlocks.set(gi, starts);
    });
    const out = {
      y, cellAt, cityAt, byKey, marked, cityMarked, children, itemBlocks,
      itemDeltaMarked: new Set(y.items.delta_marked), itemDiffMarked: new Set(y.items.difference_marked),
    };
    yearCache.set(year, out);
    return out;
  }
  function key(code, cut) { return cut == null ? code : code + "|" + cut[0] + "|" + cut[1]; }
  // A group's index, or -1.
  function groupOf(yd, code, cut) { const i = yd.byKey.get(key(code, cut)); return i == null ? -1 : i; }
  // A value of a group's category: {score, n, favorable, delta, deltaMarked, diff, diffMarked, withheld}
  // or {hidden: reason} for a hidden group, or null when the group has no respondents.
  function value(yd, gi, c) {
    if (gi < 0) return null;
    const y = yd.y;
    if (y.groups.hidden[gi] != null) return { hidden: y.groups.hidden[gi] };
    const at = yd.cellAt[gi] + c;
    const v = {
      n: y.cells.n[at], score: tenth(y.cells.score[at]), favorable: tenth(y.cells.favorable[at]),
      delta: tenth(y.cells.delta?.[at]), deltaMarked: yd.marked.has(at),
      withheld: y.cells.withheld[String(at)] || null, diff: null, diffMarked: false,
    };
    if (yd.cityAt[gi] >= 0) {
      const ct = yd.cityAt[gi] + c;
      v.diff = tenth(y.city.difference[ct]);
      v.diffMarked = yd.cityMarked.has(ct);
    }
    return v;
  }
  // A block of a whole group's items: {items: [{q, n, score, favorable, delta, deltaMarked, diff, diffMarked}]},
  // {withheld: reason}, {absent: true}, or null when the group has no item results.
  function itemBlock(yd, gi, b) {
    const starts = yd.itemBlocks.get(gi);
    if (!starts) return null;
    const s = starts[b];
    if (s.at == null) return s;
    const y = yd.y;
    return {
      items: blockItems[b].map((q, i) => {
        const at = s.at + i;
        return {
          q, n: y.items.n[at], score: tenth(y.items.score[at]), favorable: tenth(y.items.favorable[at]),
          delta: tenth(y.items.delta?.[at]), deltaMarked: yd.itemDeltaMarked.has(at),
          diff: tenth(y.items.difference[at]), diffMarked: yd.itemDiffMarked.has(at),
        };
      }),
    };
  }
  // The departments of a year in the tree's order (部, then the 課 under it),
  // leaving out what lies under a code in `collapsed`.
  function treeOrder(yd, collapsed) {
    const y = yd.y, order = [];
    const walk = (d) => { order.push(d); if (!(collapsed && collapsed.has(y.departments.code[d]))) yd.children[d].forEach(walk); };
    y.departments.code.forEach((_, d) => { if (d > 0 && y.departments.parent[d] == null) walk(d); });
    return order;
  }
  // A table cell for a value not shown: 「—」 with its reason.
  function hiddenCell(reason) { return { text: NONE, cls: "hidden-value", title: reason }; }
  function reasonOf(v) {
    if (!v) return "回答がありません";
    return REASONS[v.hidden || v.withheld] || "";
  }
  function deptName(yd, code) {
    const d = yd.y.departments.code.indexOf(code);
    return d < 0 ? code : yd.y.departments.name[d];
  }

  // ---- state in the address --------------------------------------------
  const state = { year: DATA.year, dept: "ALL", view: "heatmap", cut: "0", mode: "score", cat: String(OVERALL), sort: "", block: "0", show: "score" };
  // What the table of every number can show.
  const SHOWS = { score: "点数", favorable: "肯定率(%)", n: "回答者数", delta: "前年度との差", diff: "市のほかの職員との差" };
  function readHash() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ""));
    for (const k of Object.keys(state)) if (p.has(k)) state[k] = p.get(k);
    state.year = Number(state.year);
    if (!DATA.years.some((y) => y.year === state.year)) state.year = DATA.year;
    if (!VIEWS.some((v) => v.id === state.view)) state.view = "heatmap";
    if (!Object.hasOwn(MODES, state.mode)) state.mode = "score";
    const yd = yearData(state.year);
    if (!yd.y.departments.code.includes(state.dept)) state.dept = "ALL";
    const index = (v, n) => Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) < n && /^\d+$/.test(v);
    if (!index(state.cut, DATA.demographics.length)) state.cut = "0";
    if (!index(state.cat, OVERALL + 1)) state.cat = String(OVERALL);
    if (!index(state.block, BLOCKS)) state.block = "0";
    if (!Object.hasOwn(SHOWS, state.show)) state.show = "score";
    if (state.sort && !(/^-?\d+$/.test(state.sort) && Math.abs(Number(state.sort)) <= OVERALL)) state.sort = "";
  }
  function go(changes) {
    Object.assign(state, changes);
    const p = new URLSearchParams();
    p.set("year", state.year); p.set("dept", state.dept); p.set("view", state.view);
    if (state.view === "heatmap") { p.set("mode", state.mode); if (state.sort) p.set("sort", state.sort); }
    if (state.view === "cuts") p.set("cut", state.cut);
    if (state.view === "trend" || state.view === "cuts") p.set("cat", state.cat);
    if (state.view === "items") p.set("block", state.block);
    if (state.view === "numbers") p.set("show", state.show);
    const hash = "#" + p.toString();
    if (location.hash === hash) render(); else location.hash = hash;
  }

  // ---- building blocks ---------------------------------------------------
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat()) if (kid != null) e.append(kid instanceof Node ? kid : String(kid));
    return e;
  }
  function select(label, options, current, onChange) {
    const s = el("select", { "data-key": "select:" + label, onchange: (e) => onChange(e.target.value) },
      options.map(([v, t]) => el("option", { value: v, selected: String(v) === String(current) }, t)));
    return el("label", null, label, s);
  }
  function hexColor(n) { return "#" + n.toString(16).padStart(6, "0"); }
  function mixColor(a, b, t) {
    t = Math.max(0, Math.min(1, t));
    const ch = (s) => Math.round(((a >> s) & 255) + (((b >> s) & 255) - ((a >> s) & 255)) * t);
    return (ch(16) << 16) | (ch(8) << 8) | ch(0);
  }
  // The PDF's scale: orange below, near white at 0, blue above; full at ±span.
  function heat(d, strong) {
    const P = DATA.palette;
    const full = mixColor(P.mid, d < 0 ? P.low : P.high, Math.abs(d) / P.span);
    return strong ? full : mixColor(P.mid, full, P.pale);
  }
  function inkFor(bg) {
    const r = (bg >> 16) & 255, g = (bg >> 8) & 255, b = bg & 255;
    return 0.299 * r + 0.587 * g + 0.114 * b < 140 ? "#fff" : "#222";
  }
  // A table with a copy button: rows of cells, each a string or {text, cls, title, style}.
  function dataTable(caption, head, rows, opts) {
    const table = el("table", { "aria-describedby": opts && opts.describedBy },
      el("caption", { class: "note" }, caption),
      el("thead", null, el("tr", null, head.map((h) => (h instanceof Node ? h : el("th", { scope: "col" }, h))))),
      el("tbody", null, rows.map((r) => el("tr", { class: r.cls },
        r.cells.map((c, i) => {
          const cell = typeof c === "object" && c !== null ? c : { text: c };
          if (i === 0) return el("th", { scope: "row", class: "name " + (cell.cls || ""), title: cell.title }, cell.kids || cell.text);
          const td = el("td", { class: cell.cls || "num", title: cell.title }, cell.text);
          // A value not shown says why to a screen reader too, not only to the mouse.
          if (cell.title && (cell.cls || "").includes("hidden-value")) td.append(el("span", { class: "sr-only" }, "（" + cell.title + "）"));
          if (cell.bg != null) { td.style.background = hexColor(cell.bg); td.style.color = inkFor(cell.bg); }
          return td;
        })))));
    const status = el("span", { class: "status", role: "status" });
    const copy = el("button", {
      type: "button", class: "copy",
      onclick: () => copyTable(table, status),
    }, "表をコピー");
    return el("div", { class: "table-block" }, el("div", { class: "table-wrap" }, table), copy, " ", status);
  }
  function copyTable(table, status) {
    const text = [...table.querySelectorAll("tr")].map((tr) =>
      [...tr.children].map((c) => [...c.childNodes].filter((n) => !(n.classList && n.classList.contains("sr-only")))
        .map((n) => n.textContent).join("").replace(/[▸▾]\s*/, "").trim()).join("\t")).join("\n");
    const done = () => { status.textContent = "コピーしました（表計算ソフトに貼り付けられます）"; };
    const fallback = () => {
      const area = el("textarea", { "aria-hidden": "true" });
      area.value = text; document.body.append(area); area.select();
      try { document.execCommand("copy"); done(); } catch (e) { status.textContent = "コピーできませんでした"; }
      area.remove();
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }
  // A chart drawn as SVG into the view; `height` in CSS pixels when not the default.
  function chart(host, option, label, height) {
    const box = el("div", { class: "chart", role: "img", "aria-label": label });
    if (height) box.style.height = Math.round(height) + "px";
    host.append(box);
    const c = echarts.init(box, null, { renderer: "svg" });
    c.setOption(Object.assign({
      animation: false,
      textStyle: { fontFamily: getComputedStyle(document.documentElement).fontFamily },
      aria: { enabled: false },
    }, option));
    charts.push(c);
    fitViewBox(c);
    return c;
  }
  // The SVG's own coordinates, so that a printed page can scale the chart to
  // its width (a print that skips the beforeprint resize still fits).
  function fitViewBox(c) {
    const svg = c.getDom().querySelector("svg");
    if (svg) svg.setAttribute("viewBox", "0 0 " + c.getWidth() + " " + c.getHeight());
  }
  // Lays the charts out again, drawn at once: printing does not wait for the next frame.
  function resizeAll(size) {
    charts.forEach((c) => { c.resize(size); c.getZr().refreshImmediately(); fitViewBox(c); });
  }
  function categoryNames() { return DATA.categories.map((c) => c.name); }
  function deptOptions(yd, withCity) {
    const y = yd.y, out = [];
    y.departments.code.forEach((code, d) => {
      if (code === "ALL") { if (withCity) out.push(["ALL", y.departments.name[d]]); return; }
      out.push([code, "　".repeat(Math.max(0, y.departments.depth[d] - 1)) + code + " " + y.departments.name[d]]);
    });
    return out;
  }

  // ---- filters and navigation -----------------------------------------
  function drawChrome() {
    const nav = document.getElementById("views");
    nav.replaceChildren(...VIEWS.map((v) => el("button", {
      type: "button", "aria-current": v.id === state.view ? "page" : null, "data-key": "view:" + v.id,
      onclick: () => go({ view: v.id }),
    }, v.name)));
    const f = document.getElementById("filters");
    const yd = yearData(state.year);
    const kids = [select("年度", DATA.years.map((y) => [y.year, y.label]), state.year, (v) => go({ year: Number(v) }))];
    if (!["heatmap", "about", "plan", "response"].includes(state.view)) {
      const options = deptOptions(yd, state.view !== "profile");
      if (state.view === "numbers") options[0] = ["ALL", "市全体とすべての所属"];
      kids.push(select("所属", options, state.dept, (v) => go({ dept: v })));
    }
    if (state.view === "items") {
      kids.push(select("設問のまとまり", Array.from({ length: BLOCKS }, (_, b) => [b, blockName(b)]), state.block, (v) => go({ block: v })));
    }
    if (state.view === "numbers") {
      kids.push(select("表示する値", Object.entries(SHOWS), state.show, (v) => go({ show: v })));
    }
    if (state.view === "cuts") {
      kids.push(select("属性", DATA.demographics.map((d, i) => [i, d.name]), state.cut, (v) => go({ cut: v })));
    }
    if (state.view === "trend" || state.view === "cuts") {
      kids.push(select("カテゴリ", DATA.categories.map((c, i) => [i, c.name]), state.cat, (v) => go({ cat: v })));
    }
    f.replaceChildren(...kids);
  }

  // ---- 所属×カテゴリ (heat map as a coloured table) -----------------------
  function drawHeatmap(main) {
    const yd = yearData(state.year), y = yd.y;
    const names = categoryNames();
    const mode = state.mode;
    const city = groupOf(yd, "ALL", null);
    const cityScores = names.map((_, c) => { const v = value(yd, city, c); return v && v.score; });
    const collapsed = new Set((state.collapsed || "").split(",").filter(Boolean));
    main.append(el("h2", null, y.label + "　所属×カテゴリ"));
    const controls = el("div", { class: "controls" },
      el("fieldset", null, el("legend", null, "表示する値"),
        Object.entries(MODES).map(([m, t]) => el("label", { style: null },
          el("input", { type: "radio", name: "mode", value: m, checked: m === mode, "data-key": "mode:" + m, onchange: () => go({ mode: m }) }), " " + t))),
      state.sort ? el("button", { type: "button", onclick: () => go({ sort: "" }) }, "所属の順に戻す") : null);
    main.append(controls);
    if (mode === "delta" && !y.previous) {
      main.append(el("p", { class: "description" }, y.label + "の前年度の回答がないため、前年度との差はありません。"));
      return;
    }
    // Cells: the text, the colour's difference, and whether it is marked.
    function cellOf(gi, c) {
      const v = value(yd, gi, c);
      if (!v || v.hidden || v.withheld) return hiddenCell(reasonOf(v));
      let text, d, strong;
      if (mode === "score") {
        text = one(v.score); d = cityScores[c] == null ? 0 : v.score - cityScores[c]; strong = v.diffMarked;
        if (gi === city) return { text, cls: "num" };
      } else if (mode === "city") {
        if (gi === city) return { text: one(v.score), cls: "num", title: "市全体の点数" };
        text = change(v.diff) + mark(v.diffMarked); d = v.diff || 0; strong = v.diffMarked;
        if (v.diff == null) return { text: NONE, cls: "num" };
      } else {
        text = change(v.delta) + mark(v.deltaMarked); d = v.delta || 0; strong = v.deltaMarked;
        if (v.delta == null) return { text: NONE, cls: "num", title: "前年度と比べられません" };
      }
      return { text, cls: "num" + (strong ? " marked" : ""), bg: heat(d, strong) };
    }
    function sortValue(gi, c) {
      const v = value(yd, gi, c);
      if (!v || v.hidden || v.withheld) return null;
      return mode === "score" ? v.score : mode === "city" ? v.diff : v.delta;
    }
    const sortBy = state.sort ? Number(state.sort.replace(/^-/, "")) : null;
    const descending = state.sort && !state.sort.startsWith("-");
    const head = [el("th", { scope: "col" }, "所属")].concat(names.map((n, c) => {
      const active = sortBy === c;
      const next = active && descending ? "-" + c : String(c);
      return el("th", { scope: "col", "aria-sort": active ? (descending ? "descending" : "ascending") : null },
        el("button", { type: "button", class: "sort", "data-key": "sort:" + c, onclick: () => go({ sort: next }),
          title: n + "で並べ替え" }, n + (active ? (descending ? " ▼" : " ▲") : "")));
    }));
    // Departments: in the tree's order, or sorted (then without the tree).
    let order = treeOrder(yd, collapsed);
    if (sortBy != null) {
      order = y.departments.code.map((_, d) => d).filter((d) => d > 0);
      order.sort((a, b) => {
        const va = sortValue(groupOf(yd, y.departments.code[a], null), sortBy);
        const vb = sortValue(groupOf(yd, y.departments.code[b], null), sortBy);
        if (va == null || vb == null) return (va == null) - (vb == null) || a - b;
        return (descending ? vb - va : va - vb) || a - b;
      });
    }
    const rows = [{ cls: "city", cells: [{ text: y.departments.name[0] }].concat(names.map((_, c) => cellOf(city, c))) }];
    for (const d of order) {
      const code = y.departments.code[d];
      const gi = groupOf(yd, code, null);
      const hidden = y.groups.hidden[gi];
      const hasKids = yd.children[d].length > 0;
      const indent = sortBy == null ? Math.max(0, y.departments.depth[d] - 1) : 0;
      const label = [];
      if (hasKids && sortBy == null) {
        const open = !collapsed.has(code);
        label.push(el("button", {
          type: "button", class: "toggle", "aria-expanded": String(open), "data-key": "toggle:" + code,
          "aria-label": y.departments.name[d] + (open ? "の下の所属を閉じる" : "の下の所属を開く"),
          onclick: () => {
            if (open) collapsed.add(code); else collapsed.delete(code);
            state.collapsed = [...collapsed].join(",");
            render();
          },
        }, open ? "▾" : "▸"));
      }
      // Sorted, a row leaves the tree: a name used twice that year gets its parent's.
      const parent = y.departments.parent[d];
      const twice = y.departments.name.filter((nm) => nm === y.departments.name[d]).length > 1;
      label.push(y.departments.name[d] + (sortBy != null && twice && parent != null ? "（" + y.departments.name[parent] + "）" : ""));
      rows.push({
        cls: (hidden ? "hidden-group" : "") + (hasKids ? " bu" : ""),
        cells: [{ kids: [el("span", { style: null, class: "indent-" + indent }, "　".repeat(indent)), ...label],
          title: hidden ? reasonOf({ hidden }) : code }]
          .concat(names.map((_, c) => cellOf(gi, c))),
      });
    }
    const desc = heatmapDescription(yd, mode);
    const descId = "desc-heatmap";
    main.append(el("p", { class: "description", id: descId }, desc));
    main.append(legend(mode));
    main.append(dataTable(y.label + "の所属別・カテゴリ別の" + MODES[mode] + "（列の見出しで並べ替え、▾で部の下の所属を閉じる）", head, rows, { describedBy: descId }));
  }
  function legend(mode) {
    const P = DATA.palette;
    const what = mode === "delta" ? "前年度より" : mode === "city" ? "市のほかの職員より" : "市全体より";
    const items = [
      [-P.span, true, false, what + P.span.toFixed(0) + "点以上低い"],
      [0, true, false, "差なし"],
      [P.span, true, false, what + P.span.toFixed(0) + "点以上高い"],
      [P.span / 2, false, false, "薄い色：差は偶然の範囲と考えられるもの"],
      [P.span / 2, true, true, "枠：統計的に確かな差（＊）"],
    ];
    return el("div", { class: "legend", "aria-hidden": "true" }, items.map(([d, strong, framed, t]) => {
      const sw = el("span", { class: "swatch" + (framed ? " marked" : "") });
      sw.style.background = hexColor(heat(d, strong));
      return el("span", null, sw, t);
    }));
  }
  function heatmapDescription(yd, mode) {
    const y = yd.y;
    const shown = y.departments.code.filter((code, d) => d > 0 && y.groups.hidden[groupOf(yd, code, null)] == null).length;
    const hidden = y.departments.code.length - 1 - shown;
    // Marks of the rows shown: the departments' and the city's (another family) counted apart.
    const cityGroup = groupOf(yd, "ALL", null);
    let markedCount = 0, cityMarked = 0;
    if (mode === "delta") {
      y.cells.delta_marked.forEach((at) => {
        const gi = groupOfCell(yd, at);
        if (gi < 0 || y.groups.cut[gi] != null) return;
        if (gi === cityGroup) cityMarked++; else markedCount++;
      });
    } else markedCount = y.city.marked.length;
    const common = "所属ごとのカテゴリ別の" + MODES[mode] + "です（表示" + shown + "所属" +
      (hidden ? "、回答者が少ないなどの理由で数値を示していない所属" + hidden : "") + "）。";
    const colour = mode === "delta"
      ? "前年度より高いほど濃い青、低いほど濃い橙で示します。"
      : mode === "city"
        ? "市のほかの職員より高いほど濃い青、低いほど濃い橙で示します。"
        : "各カテゴリの市全体の点数より高いほど濃い青、低いほど濃い橙で示します。";
    const rule = mode === "delta"
      ? "前年度の回答者との差を Welch の t 検定で比べ、" + FAMILY.deptChange + "偽発見率を5%に抑える調整（Benjamini–Hochberg 法）をしても差があるといえるもの"
      : "その所属の回答者と市のほかの回答者の点数を Welch の t 検定で比べ、" + FAMILY.deptCity + "偽発見率を5%に抑える調整（Benjamini–Hochberg 法）をしても差があるといえるもの";
    let test = markedCount
      ? "所属の行で枠で囲み＊を付けた" + markedCount + "か所は、" + rule + "です。"
      : "所属の行には、" + rule + "（＊）はありません。";
    if (mode === "delta" && cityMarked) test += "市全体の行の" + cityMarked + "か所の＊は、" + FAMILY.cityChange + "調整したものです。";
    const tested = mode === "city" ? "表の差は、検定した「その所属と市のほかの職員との差」です。" : "";
    return common + colour + test + "それ以外の差は偶然の範囲と考えられるため、薄い色にしています。" + tested +
      "「—」は数値を示していないところで、理由はその欄にマウスを重ねると表示されます（読み上げソフトでは欄の中で読まれます）。";
  }
  // The group a cell belongs to, or -1.
  function groupOfCell(yd, at) {
    const C = DATA.categories.length;
    for (let i = 0; i < yd.cellAt.length; i++) {
      if (yd.cellAt[i] >= 0 && at >= yd.cellAt[i] && at < yd.cellAt[i] + C) return i;
    }
    return -1;
  }

  // ---- 所属と市全体 ---------------------------------------------------------
  function drawProfile(main) {
    const yd = yearData(state.year), y = yd.y;
    let code = state.dept;
    if (code === "ALL") code = y.departments.code[1] || "ALL";
    const name = deptName(yd, code);
    main.append(el("h2", null, y.label + "　" + name + "と市全体"));
    const gi = groupOf(yd, code, null), city = groupOf(yd, "ALL", null);
    if (gi < 0 || y.groups.hidden[gi] != null) {
      main.append(el("p", { class: "description" }, name + "は" + reasonOf(value(yd, gi, 0)) + "です。市全体の結果は「所属×カテゴリ」にあります。"));
      return;
    }
    const names = categoryNames();
    const mine = names.map((_, c) => value(yd, gi, c));
    const theirs = names.map((_, c) => value(yd, city, c));
    const above = [], below = [];
    mine.forEach((v, c) => { if (v && v.diffMarked) (v.diff > 0 ? above : below).push(names[c]); });
    const n = y.groups.respondents[gi];
    let desc = name + "（回答者" + count(n) + "人）のカテゴリ別の点数を、市全体と並べたものです。";
    desc += above.length ? "市のほかの職員より統計的に確かに高いのは" + above.join("・") + "です。" : "";
    desc += below.length ? "市のほかの職員より統計的に確かに低いのは" + below.join("・") + "です。" : "";
    if (!above.length && !below.length) desc += "市のほかの職員との差が統計的に確かといえるカテゴリはありません（差は偶然の範囲と考えられます）。";
    desc += "差は、その所属と市のほかの職員との差です。市のほかの職員との差の" + starNote("deptCity") + "前年度との差の" + starNote("deptChange");
    const descId = "desc-profile";
    main.append(el("p", { class: "description", id: descId }, desc));
    chart(main, {
      legend: { top: 0 },
      grid: { left: 90, right: 30, top: 30, bottom: 30 },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", data: names, inverse: true },
      color: [hexColor(DATA.palette.high), "#9a9a9a"],
      series: [
        { name, type: "bar", data: mine.map((v) => (v && v.score != null ? v.score : null)), label: { show: true, position: "right", formatter: (p) => one(p.value) } },
        { name: "市全体", type: "bar", data: theirs.map((v) => (v && v.score != null ? v.score : null)) },
      ],
    }, desc);
    const rows = names.map((nm, c) => {
      const v = mine[c], t = theirs[c];
      if (!v || v.withheld) return { cells: [nm, hiddenCell(reasonOf(v)), one(t && t.score), NONE, NONE, NONE, NONE] };
      return { cells: [nm, one(v.score), one(t && t.score), change(v.diff) + mark(v.diffMarked), change(v.delta) + mark(v.deltaMarked), one(v.favorable), count(v.n)] };
    });
    main.append(dataTable(name + "と市全体のカテゴリ別の結果", ["カテゴリ", name, "市全体", "市のほかの職員との差", "前年度との差", "肯定率(%)", "回答者数"], rows, { describedBy: descId }));
  }

  // ---- 推移 ----------------------------------------------------------------
  // The department's code in each earlier year, following single
  // predecessors back through code changes (not through mergers), as the packets do.
  function lineage(code) {
    const out = [];
    let current = code;
    for (let i = DATA.years.findIndex((y) => y.year === state.year); i >= 0; i--) {
      const yd = yearData(DATA.years[i].year);
      if (!yd.y.departments.code.includes(current)) break;
      out.unshift([DATA.years[i], current]);
      const prev = yd.y.departments.previous[current] || [current];
      if (prev.length !== 1 || i === 0 || DATA.years[i - 1].year !== DATA.years[i].year - 1) break;
      current = prev[0];
    }
    return out;
  }
  function drawTrend(main) {
    const c = Number(state.cat), cat = DATA.categories[c].name;
    const code = state.dept;
    const line = lineage(code);
    const name = deptName(yearData(state.year), code);
    main.append(el("h2", null, name + "の" + cat + "の推移"));
    const points = line.map(([y, cd]) => {
      const yd = yearData(y.year);
      return { y, code: cd, v: value(yd, groupOf(yd, cd, null), c), city: value(yd, groupOf(yd, "ALL", null), c) };
    });
    const shownPts = points.filter((p) => p.v && p.v.score != null);
    let desc = name + "の" + cat + "の点数" + (code === "ALL" ? "" : "と市全体の点数") + "の推移です（" +
      (line.length ? line[0][0].label + "から" + line[line.length - 1][0].label + "まで" : "") + "）。";
    if (shownPts.length >= 2) {
      const a = shownPts[0], b = shownPts[shownPts.length - 1];
      desc += a.y.short + "の" + one(a.v.score) + "点から" + b.y.short + "の" + one(b.v.score) + "点になりました。";
    }
    const renamed = points.filter((p, i) => i > 0 && p.code !== points[i - 1].code);
    if (renamed.length) desc += "所属コードの変更をたどっています（" + renamed.map((p) => p.y.short + "に" + points[points.indexOf(p) - 1].code + "→" + p.code).join("、") + "）。";
    const firstYear = DATA.years.findIndex((y) => y.year === (line[0] && line[0][0].year));
    if (firstYear > 0 && line.length) {
      // Why the line starts there: a merger, a new department, or no earlier result.
      const [fy, fcode] = line[0];
      const prev = yearData(fy.year).y.departments.previous[fcode];
      if (prev && prev.length > 1) {
        desc += fy.label + "に" + prev.join("・") + "が統合されてできた所属のため、線はそれより前にたどっていません（" + fy.short + "の前年度との差は、統合前の所属を合わせた値との差です）。";
      } else if (prev && prev.length === 0) desc += fy.label + "に新しくできた所属のため、それより前はありません。";
      else desc += fy.label + "より前は、比べられる結果がないため示していません。";
    }
    desc += "前年度との差の" + starNote(code === "ALL" ? "cityChange" : "deptChange");
    const descId = "desc-trend";
    main.append(el("p", { class: "description", id: descId }, desc));
    const series = [{ name, type: "line", data: points.map((p) => (p.v && p.v.score != null ? p.v.score : null)), connectNulls: false, symbolSize: 8, label: { show: true, formatter: (p) => one(p.value) } }];
    if (code !== "ALL") series.push({ name: "市全体", type: "line", lineStyle: { type: "dashed" }, data: points.map((p) => (p.city && p.city.score != null ? p.city.score : null)) });
    chart(main, {
      legend: { top: 0 }, grid: { left: 50, right: 30, top: 40, bottom: 30 },
      color: [hexColor(DATA.palette.high), "#7a7a7a"],
      xAxis: { type: "category", data: points.map((p) => p.y.short) },
      yAxis: { type: "value", scale: true, name: "点" },
      series,
    }, desc);
    const rows = points.map((p) => {
      const v = p.v;
      const mineCell = !v || v.hidden || v.withheld ? hiddenCell(reasonOf(v)) : one(v.score);
      return { cells: [p.y.label, p.code, mineCell, one(p.city && p.city.score), v && !v.hidden && !v.withheld ? change(v.delta) + mark(v.deltaMarked) : NONE, v && v.n != null ? count(v.n) : NONE] };
    });
    main.append(dataTable(name + "の" + cat + "の推移", ["年度", "所属コード", name, "市全体", "前年度との差", "回答者数"], rows, { describedBy: descId }));
  }

  // ---- 属性別 ----------------------------------------------------------------
  function drawCuts(main) {
    const yd = yearData(state.year), y = yd.y;
    const d = Number(state.cut), demo = DATA.demographics[d];
    const c = Number(state.cat), cat = DATA.categories[c].name;
    const code = state.dept, name = deptName(yd, code);
    main.append(el("h2", null, y.label + "　" + name + "の" + demo.name + "別の" + cat));
    const whole = value(yd, groupOf(yd, code, null), c);
    if (!whole || whole.hidden) {
      main.append(el("p", { class: "description" }, name + "は" + reasonOf(whole) + "です。"));
      return;
    }
    // Last year's values beside this year's: of the same department, or its one
    // predecessor after a change of code (not across a merger, as the trend).
    const predecessors = y.departments.previous[code] || [code];
    const prevYd = predecessors.length === 1 ? yearData(state.year - 1) : null;
    const vals = demo.values.map((vname, i) => ({
      vname, v: value(yd, groupOf(yd, code, [d, i]), c),
      prev: prevYd ? value(prevYd, groupOf(prevYd, predecessors[0], [d, i]), c) : null,
    }));
    const anyPrev = vals.some((x) => x.prev && x.prev.score != null);
    const shown = vals.filter((x) => x.v && x.v.score != null);
    const notShown = vals.filter((x) => x.v && x.v.score == null);
    let desc = name + "の" + cat + "の点数を" + demo.name + "ごとに示します（" + y.label + (anyPrev ? "と前年度" : "") + "）。";
    if (predecessors.length > 1) desc += "この所属は統合でできたため、前年度の属性別の値は並べていません。";
    if (shown.length) {
      const hi = shown.reduce((a, b) => (b.v.score > a.v.score ? b : a));
      const lo = shown.reduce((a, b) => (b.v.score < a.v.score ? b : a));
      desc += "最も高いのは" + hi.vname + "（" + one(hi.v.score) + "点）、最も低いのは" + lo.vname + "（" + one(lo.v.score) + "点）です。";
    }
    if (notShown.length) desc += notShown.map((x) => x.vname).join("・") + "は、回答者が少ないなどの理由で示していません。";
    const changed = shown.filter((x) => x.v.deltaMarked);
    if (changed.length) desc += "前年度から統計的に確かに変化したのは" + changed.map((x) => x.vname + "（" + change(x.v.delta) + "）").join("・") + "です。";
    desc += "前年度との差の" + starNote("cutChange") + "属性の区分どうしの差は検定していません。";
    const descId = "desc-cuts";
    main.append(el("p", { class: "description", id: descId }, desc));
    const series = [];
    if (anyPrev) series.push({ name: prevYd.y.short, type: "bar", data: vals.map((x) => (x.prev && x.prev.score != null ? x.prev.score : null)) });
    series.push({ name: y.short, type: "bar", data: vals.map((x) => (x.v && x.v.score != null ? x.v.score : null)), label: { show: true, position: "top", formatter: (p) => one(p.value) } });
    series.push({ name: code === "ALL" ? name : name + "全体", type: "line", symbol: "none", lineStyle: { type: "dashed" }, data: vals.map(() => whole.score) });
    chart(main, {
      legend: { top: 0 }, grid: { left: 50, right: 20, top: 40, bottom: 40 },
      color: ["#a9c1dd", hexColor(DATA.palette.high), "#7a7a7a"],
      xAxis: { type: "category", data: demo.values },
      yAxis: { type: "value", min: 0, max: 100, name: "点" },
      series,
    }, desc);
    const rows = vals.map((x) => {
      const v = x.v;
      if (!v) return { cells: [x.vname, { text: "回答なし", cls: "hidden-value" }, NONE, NONE, NONE, NONE] };
      if (v.hidden || v.withheld) return { cells: [x.vname, hiddenCell(reasonOf(v)), prevCell(x.prev), NONE, NONE, { text: reasonOf(v), cls: "" }] };
      return { cells: [x.vname, one(v.score), prevCell(x.prev), change(v.delta) + mark(v.deltaMarked), count(v.n), one(v.favorable)] };
    });
    main.append(dataTable(name + "の" + demo.name + "別の" + cat, ["区分", y.short, prevYd ? prevYd.y.short : "前年度", "前年度との差", "回答者数", "肯定率(%)"], rows, { describedBy: descId }));
  }
  function prevCell(p) { return p && p.score != null ? one(p.score) : NONE; }

  // ---- 設問別 ----------------------------------------------------------------
  function drawItems(main) {
    const yd = yearData(state.year), y = yd.y;
    const b = Number(state.block), bname = blockName(b);
    const code = state.dept, name = deptName(yd, code);
    main.append(el("h2", null, y.label + "　" + name + "の" + bname + (b < OVERALL ? "の設問" : "")));
    const gi = groupOf(yd, code, null);
    const whole = value(yd, gi, 0);
    if (!whole || whole.hidden) {
      main.append(el("p", { class: "description" }, name + "は" + reasonOf(whole) + "です。"));
      return;
    }
    const block = itemBlock(yd, gi, b);
    if (!block || block.absent) {
      main.append(el("p", { class: "description" }, name + "の" + bname + "は、この年度の回答がありません。"));
      return;
    }
    if (block.withheld) {
      main.append(el("p", { class: "description" }, name + "の" + bname + "の設問別の結果は、" + REASONS[block.withheld] + "です（カテゴリの点数は「所属と市全体」にあります）。"));
      return;
    }
    const items = block.items;
    const cityBlock = code === "ALL" ? null : itemBlock(yd, groupOf(yd, "ALL", null), b);
    const cityOf = (i) => (cityBlock && cityBlock.items ? cityBlock.items[i] : null);
    const label = (it) => it.q.id + " " + it.q.label;
    let desc = name + "の" + bname + (b < OVERALL ? "の設問" : "") + "ごとの点数（0〜100点）" + (code === "ALL" ? "" : "を市全体と並べたもの") + "です。";
    if (code !== "ALL") {
      const above = items.filter((it) => it.diffMarked && it.diff > 0).map(label);
      const below = items.filter((it) => it.diffMarked && it.diff < 0).map(label);
      desc += above.length ? "市のほかの職員より統計的に確かに高い設問は" + above.join("・") + "です。" : "";
      desc += below.length ? "市のほかの職員より統計的に確かに低い設問は" + below.join("・") + "です。" : "";
      if (!above.length && !below.length) desc += "市のほかの職員との差が統計的に確かといえる設問はありません。";
    }
    const rose = items.filter((it) => it.deltaMarked && it.delta > 0).map(label);
    const fell = items.filter((it) => it.deltaMarked && it.delta < 0).map(label);
    if (rose.length) desc += "前年度から統計的に確かに上がったのは" + rose.join("・") + "です。";
    if (fell.length) desc += "前年度から統計的に確かに下がったのは" + fell.join("・") + "です。";
    desc += starNote("items");
    if (items.some((it) => it.q.reverse)) {
      desc += b < OVERALL ? "否定的な聞き方の設問（逆転項目）は、点数を逆にし、肯定の向きの言葉で示しています。"
        : "否定的な聞き方の結果の設問は、点数を逆にしています（設問文はそのままです）。";
    }
    const descId = "desc-items";
    main.append(el("p", { class: "description", id: descId }, desc));
    const series = [{ name, type: "bar", data: items.map((it) => it.score), label: { show: true, position: "right", formatter: (p) => one(p.value) } }];
    if (code !== "ALL") series.push({ name: "市全体", type: "bar", data: items.map((_, i) => (cityOf(i) ? cityOf(i).score : null)) });
    chart(main, {
      legend: { top: 0 },
      grid: { left: 230, right: 40, top: 30, bottom: 30 },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", data: items.map(label), inverse: true, axisLabel: { width: 220, overflow: "truncate" } },
      color: [hexColor(DATA.palette.high), "#9a9a9a"],
      series,
    }, desc, 80 + items.length * (code === "ALL" ? 34 : 48));
    const head = ["設問", "設問文", "点数"].concat(code === "ALL" ? [] : ["市全体", "市のほかの職員との差"], ["前年度との差", "肯定率(%)", "回答者数"]);
    const rows = items.map((it, i) => ({
      cells: [label(it), { text: it.q.text, cls: "text" }, one(it.score)]
        .concat(code === "ALL" ? [] : [one(cityOf(i) && cityOf(i).score), change(it.diff) + mark(it.diffMarked)],
          [change(it.delta) + mark(it.deltaMarked), one(it.favorable), count(it.n)]),
    }));
    main.append(dataTable(name + "の" + bname + "の設問別の結果", head, rows, { describedBy: descId }));
  }

  // ---- 重要度と点数 ----------------------------------------------------------
  function drawPortfolio(main) {
    const yd = yearData(state.year), y = yd.y;
    const code = state.dept, name = deptName(yd, code);
    main.append(el("h2", null, y.label + "　" + name + "の重要度と点数"));
    if (!y.drivers) {
      const last = DATA.years[DATA.years.length - 1];
      main.append(el("p", { class: "description" }, "重要度の分析は、このファイルの年度（" + last.label + "）の分を収めています。" + y.label + "の分析は、その年度の報告書と集計表（「重要度分析」のシート）にあります。"));
      return;
    }
    const d = y.departments.code.indexOf(code);
    const gd = y.drivers.groups.find((g) => g.department === d);
    if (!gd) {
      const why = y.drivers.note ? y.drivers.note
        : name + "は、結果の設問とすべてのカテゴリに答えた人が" + y.drivers.min_respondents + "人未満か、点数の一部を示していないため、重要度の分析は行っていません。";
      main.append(el("p", { class: "description" }, why));
      return;
    }
    const C = OVERALL;
    const names = DATA.categories.slice(0, C).map((c) => c.name);
    const equal = 100 / C;
    let desc = gd.sentences.join("") + "（分析した回答者" + count(gd.n) + "人、決定係数 " + gd.r2 + "）。";
    desc += "図の横軸は重要度（結果の設問の点数の違いのうち、そのカテゴリで説明できる割合）、縦軸はカテゴリの点数で、横線は重要度の95%区間、縦の破線は均等な割合（" + equal.toFixed(1) + "%）です。";
    if (gd.reference) desc += "図の重要度は市全体のものです。";
    const descId = "desc-portfolio";
    main.append(el("p", { class: "description", id: descId }, desc));
    const point = (c) => ({
      name: names[c], value: [gd.share[c] / 10, gd.score[c] / 10],
      itemStyle: { color: gd.quadrant[c] === 0 ? PRIORITY : hexColor(DATA.palette.high) },
      label: { fontWeight: gd.quadrant[c] === 0 ? "bold" : "normal", color: gd.quadrant[c] === 0 ? PRIORITY : "#222" },
    });
    chart(main, {
      legend: { top: 0, data: ["カテゴリ", QUADRANTS[0]] },
      grid: { left: 50, right: 40, top: 40, bottom: 50 },
      xAxis: { type: "value", name: "重要度(%)", nameLocation: "middle", nameGap: 28, min: 0, max: (v) => Math.ceil(v.max / 5) * 5 },
      yAxis: { type: "value", name: "点数", scale: true },
      series: [
        {
          name: "95%区間", type: "custom", silent: true, encode: { x: [0, 1], y: 2 },
          renderItem: (params, api) => {
            const a = api.coord([api.value(0), api.value(2)]), z = api.coord([api.value(1), api.value(2)]);
            return { type: "line", shape: { x1: a[0], y1: a[1], x2: z[0], y2: z[1] }, style: { stroke: "#888", lineWidth: 1.5 } };
          },
          data: names.map((_, c) => [gd.share_low[c] / 10, gd.share_high[c] / 10, gd.score[c] / 10]),
          z: 1,
        },
        {
          name: "カテゴリ", type: "scatter", symbolSize: 11, z: 3,
          label: { show: true, position: "right", formatter: (p) => p.name },
          labelLayout: { moveOverlap: "shiftY" },
          data: names.map((_, c) => point(c)),
          markLine: { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#666" }, label: { formatter: "均等な割合" }, data: [{ xAxis: Number(equal.toFixed(1)) }] },
        },
        { name: QUADRANTS[0], type: "scatter", data: [], itemStyle: { color: PRIORITY } },
      ],
      color: [hexColor(DATA.palette.high)],
    }, desc, 460);
    // The reports' order: the group's own importance, largest first.
    const order = gd.order;
    const head = ["カテゴリ"].concat(gd.reference ? ["この所属の重要度(%)（参考）", "市全体の重要度(%)", "市全体の重要度の95%区間"] : ["重要度(%)", "重要度の95%区間"],
      ["結果の設問との相関", "点数", "区分"]);
    const rows = order.map((c) => ({
      cells: [names[c]].concat(gd.reference ? [one(gd.own_share[c] / 10)] : [], [one(gd.share[c] / 10),
        one(gd.share_low[c] / 10) + "〜" + one(gd.share_high[c] / 10), (gd.correlation[c] / 100).toFixed(2), one(gd.score[c] / 10),
        { text: QUADRANTS[gd.quadrant[c]], cls: gd.quadrant[c] === 0 ? "priority" : "" }]),
    }));
    main.append(dataTable(name + "のカテゴリ別の重要度と点数（重要度の高い順）", head, rows, { describedBy: descId }));
  }

  // ---- 目標の進捗 ------------------------------------------------------------
  function drawPlan(main) {
    const y = yearData(state.year).y;
    main.append(el("h2", null, y.label + "　人財育成アクションプランの目標の進捗"));
    if (!y.plan.length && !y.indicators.length) {
      main.append(el("p", { class: "description" }, y.label + "の目標はありません。"));
      return;
    }
    const goals = y.plan.filter((r) => r.status_key !== "tracked" && r.id !== "overall");
    const counts = ["達成", "順調", "遅れ", "悪化", "未達", "データなし"].map((s) => [s, goals.filter((r) => r.status === s).length]).filter(([, n]) => n);
    let desc = "人財育成アクションプランの目標に対する" + y.label + "の値です。";
    if (goals.length) desc += "目標のあるカテゴリ" + goals.length + "のうち、" + counts.map(([s, n]) => s + n).join("、") + "です。";
    desc += "図はカテゴリごとの今年度の値（●、色は表の判定と同じ）と今年度の目安（—）、目標値（◇）です。進捗率は目標年度までの目標だけにあり、毎年度の目標（最低線）には目標値との差を示します。";
    const descId = "desc-plan";
    main.append(el("p", { class: "description", id: descId }, desc));
    const charted = y.plan.filter((r) => r.number != null);
    if (charted.length) {
      chart(main, {
        legend: { top: 0, data: ["今年度の値", "今年度の目安", "目標値"] },
        grid: { left: 50, right: 20, top: 40, bottom: 40 },
        xAxis: { type: "category", data: charted.map((r) => r.name), axisLabel: { interval: 0 } },
        yAxis: { type: "value", name: "点", scale: true },
        series: [
          { name: "今年度の目安", type: "scatter", symbol: "rect", symbolSize: [34, 3], data: charted.map((r) => r.yardstick), itemStyle: { color: "#222" }, z: 2 },
          { name: "目標値", type: "scatter", symbol: "diamond", symbolSize: 13, data: charted.map((r) => r.goal), itemStyle: { color: "#fff", borderColor: "#222", borderWidth: 1.5 }, z: 3 },
          {
            name: "今年度の値", type: "scatter", symbolSize: 13, z: 4, itemStyle: { color: "#666" },
            data: charted.map((r) => ({ value: r.number, itemStyle: { color: STATUS_COLORS[r.status_key] } })),
            label: { show: true, position: "right", distance: 8, formatter: (p) => charted[p.dataIndex].value },
          },
        ],
      }, desc);
    }
    const table = (caption, rows) => main.append(dataTable(caption,
      ["指標", "判定の種類", "基準値", "目標値", "前年度", "今年度", "前年度との差", "今年度の目安", "進捗率・目標値との差", "判定"],
      rows.map((r) => ({
        cells: [r.name, { text: r.kind, cls: "text" }, r.baseline, r.target, r.previous, r.value, r.delta,
          r.trajectory || NONE, r.margin || r.achievement || NONE, { text: r.status, cls: "status-badge status-" + r.status_key }],
      })), { describedBy: descId }));
    if (y.plan.length) table(y.label + "のカテゴリ別の目標", y.plan);
    if (y.indicators.length) table(y.label + "のそのほかの指標", y.indicators);
  }

  // ---- 回答率 ----------------------------------------------------------------
  function drawResponse(main) {
    const yd = yearData(state.year), y = yd.y, g = y.groups;
    main.append(el("h2", null, y.label + "　回答率"));
    const city = groupOf(yd, "ALL", null);
    const rate = (gi) => (gi < 0 || g.rate[gi] == null ? null : g.rate[gi] / 10);
    const depts = treeOrder(yd);
    const groupOfDept = (d) => groupOf(yd, y.departments.code[d], null);
    const rateOf = (d) => rate(groupOfDept(d));
    const shown = depts.filter((d) => rateOf(d) != null);
    const hidden = depts.filter((d) => g.hidden[groupOfDept(d)] != null).length;
    let desc = "市全体の回答率は" + (rate(city) == null ? NONE : one(rate(city)) + "%") + "（回答者" + count(g.respondents[city]) + "人、職員" + count(g.headcount[city]) + "人）です。";
    if (shown.length) {
      const byRate = shown.slice().sort((a, b) => rateOf(b) - rateOf(a));
      const hi = byRate[0], lo = byRate[byRate.length - 1];
      desc += "所属別では、最も高いのは" + y.departments.name[hi] + "（" + one(rateOf(hi)) + "%）、最も低いのは" + y.departments.name[lo] + "（" + one(rateOf(lo)) + "%）です。";
    }
    if (hidden) desc += "回答者が少ないなどの理由で示していない所属が" + hidden + "あります。";
    desc += "部の値は、その下の課の職員と回答者を含みます。";
    const descId = "desc-response";
    main.append(el("p", { class: "description", id: descId }, desc));
    const charted = shown.slice().sort((a, b) => rateOf(b) - rateOf(a) || a - b);
    if (charted.length) {
      chart(main, {
        grid: { left: 170, right: 50, top: 20, bottom: 30 },
        xAxis: { type: "value", min: 0, max: 100, name: "%" },
        yAxis: { type: "category", inverse: true, data: charted.map((d) => y.departments.code[d] + " " + y.departments.name[d]), axisLabel: { width: 160, overflow: "truncate", interval: 0 } },
        series: [{
          type: "bar", name: "回答率", data: charted.map(rateOf),
          itemStyle: { color: hexColor(DATA.palette.high) }, label: { show: true, position: "right", formatter: (p) => one(p.value) },
          markLine: rate(city) == null ? undefined : { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#555" }, label: { position: "start", formatter: "市全体 " + one(rate(city)) + "%" }, data: [{ xAxis: rate(city) }] },
        }],
      }, desc, 60 + charted.length * 20);
    }
    const rows = [{ cls: "city", cells: ["市全体", count(g.headcount[city]), count(g.respondents[city]), one(rate(city))] }].concat(depts.map((d) => {
      const gi = groupOfDept(d);
      const indent = "　".repeat(Math.max(0, y.departments.depth[d] - 1));
      if (g.hidden[gi] != null) return { cls: "hidden-group", cells: [indent + y.departments.name[d], hiddenCell(REASONS[g.hidden[gi]]), NONE, NONE] };
      return { cells: [indent + y.departments.name[d], count(g.headcount[gi]), count(g.respondents[gi]), one(rate(gi))] };
    }));
    main.append(dataTable(y.label + "の所属別の回答率", ["所属", "職員数", "回答者数", "回答率(%)"], rows, { describedBy: descId }));
  }

  // ---- 前年度からの変化 --------------------------------------------------------
  function drawChanges(main) {
    const yd = yearData(state.year), y = yd.y;
    const code = state.dept, name = deptName(yd, code);
    main.append(el("h2", null, y.label + "　" + name + "の前年度からの変化"));
    if (!y.previous) {
      main.append(el("p", { class: "description" }, y.label + "の前年度の回答がないため、前年度からの変化はありません。"));
      return;
    }
    const gi = groupOf(yd, code, null);
    const whole = value(yd, gi, 0);
    if (!whole || whole.hidden) {
      main.append(el("p", { class: "description" }, name + "は" + reasonOf(whole) + "です。"));
      return;
    }
    const names = categoryNames();
    const cats = names.map((nm, c) => ({ nm, v: value(yd, gi, c) }));
    const items = [];
    for (let b = 0; b < BLOCKS; b++) {
      const block = itemBlock(yd, gi, b);
      if (block && block.items) block.items.forEach((it) => items.push(it));
    }
    const moved = (up) => ({
      cats: cats.filter((x) => x.v && x.v.deltaMarked && (up ? x.v.delta > 0 : x.v.delta < 0)),
      items: items.filter((it) => it.deltaMarked && (up ? it.delta > 0 : it.delta < 0))
        .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.q.id + " " + a.q.label < b.q.id + " " + b.q.label ? -1 : 1)),
    });
    const up = moved(true), down = moved(false);
    const comparable = cats.some((x) => x.v && x.v.delta != null);
    let desc;
    if (!comparable) desc = name + "は前年度と比べられる値がありません（前年度に回答者が少なかった、または所属が新しいなど）。";
    else {
      desc = name + "の前年度からの変化のうち、偶然の範囲を超えるもの（＊）です。";
      const what = (m) => [m.cats.length ? (m.cats.some((x) => x.nm === "総合") ? (m.cats.length > 1 ? "カテゴリ" + (m.cats.length - 1) + "と総合" : "総合") : "カテゴリ" + m.cats.length) : "", m.items.length ? "設問" + m.items.length : ""].filter(Boolean).join("・");
      desc += up.cats.length || up.items.length ? "上がったのは" + what(up) + "、" : "上がったものはなく、";
      desc += down.cats.length || down.items.length ? "下がったのは" + what(down) + "です。" : "下がったものはありません。";
      desc += "カテゴリの" + starNote(code === "ALL" ? "cityChange" : "deptChange") + "設問の" + starNote("items");
      desc += "図はカテゴリ別の前年度との差で、＊のないものは薄い色にしています。";
    }
    const descId = "desc-changes";
    main.append(el("p", { class: "description", id: descId }, desc));
    if (!comparable) return;
    chart(main, {
      grid: { left: 90, right: 50, top: 20, bottom: 30 },
      xAxis: { type: "value", name: "点" },
      yAxis: { type: "category", data: names, inverse: true },
      series: [{
        type: "bar", name: "前年度との差",
        data: cats.map((x) => {
          const dv = x.v && !x.v.hidden && !x.v.withheld ? x.v.delta : null;
          return {
            value: dv, itemStyle: { color: hexColor(heat(dv || 0, x.v && x.v.deltaMarked)) },
            label: { position: dv < 0 ? "left" : "right" },
          };
        }),
        label: { show: true, formatter: (p) => change(p.value) + mark(cats[p.dataIndex].v && cats[p.dataIndex].v.deltaMarked) },
      }],
    }, desc, 80 + names.length * 30);
    main.append(dataTable(name + "のカテゴリ別の前年度との差", ["カテゴリ", y.short + "の点数", "前年度との差"],
      cats.map((x) => {
        const v = x.v;
        if (!v || v.hidden || v.withheld) return { cells: [x.nm, hiddenCell(reasonOf(v)), NONE] };
        return { cells: [x.nm, one(v.score), v.delta == null ? { text: NONE, title: "前年度と比べられません" } : change(v.delta) + mark(v.deltaMarked)] };
      }), { describedBy: descId }));
    const list = (title, m) => {
      main.append(el("h3", null, title));
      if (!m.cats.length && !m.items.length) { main.append(el("p", { class: "description" }, "ありません。")); return; }
      const rows = m.cats.map((x) => ({ cells: ["カテゴリ", x.nm, change(x.v.delta) + "＊", one(x.v.score)] }))
        .concat(m.items.map((it) => ({ cells: ["設問", it.q.id + " " + it.q.label, change(it.delta) + "＊", one(it.score)] })));
      main.append(dataTable(name + "の" + title, ["種類", "カテゴリ・設問", "前年度との差", y.short + "の点数"], rows, { describedBy: descId }));
    };
    list("前年度から改善した点", up);
    list("前年度から低下した点", down);
  }

  // ---- 数値の一覧 --------------------------------------------------------------
  function drawNumbers(main) {
    const yd = yearData(state.year), y = yd.y, g = y.groups;
    const code = state.dept, show = state.show;
    const names = categoryNames();
    const title = code === "ALL" ? "市全体とすべての所属" : deptName(yd, code);
    main.append(el("h2", null, y.label + "　" + title + "の数値の一覧（" + SHOWS[show] + "）"));
    // Groups: the city and every department as a whole, then the city's cuts; or one department and its cuts.
    const list = [];
    if (code === "ALL") {
      list.push(groupOf(yd, "ALL", null));
      treeOrder(yd).forEach((d) => list.push(groupOf(yd, y.departments.code[d], null)));
    } else list.push(groupOf(yd, code, null));
    g.department.forEach((d, gi) => { if (g.cut[gi] != null && y.departments.code[d] === code) list.push(gi); });
    let desc = title + "の" + y.label + "の公表値を、カテゴリごとの" + SHOWS[show] + "で示します（" + list.length + "集団）。";
    desc += "「表をコピー」で表計算ソフトに貼り付けられます。「—」は公表しない値で、理由は備考の欄かマウスを重ねた表示にあります。";
    if (show === "diff") desc += "市のほかの職員との差は、所属の全体だけにあります（属性の区分にはありません）。";
    if (show === "delta") desc += "所属の全体の" + starNote("deptChange") + "市全体の行は" + FAMILY.cityChange + "、属性の区分の行は" + FAMILY.cutChange + "調整しています。";
    if (show === "diff") desc += starNote("deptCity");
    const descId = "desc-numbers";
    main.append(el("p", { class: "description", id: descId }, desc));
    const cellOf = (gi, c) => {
      const v = value(yd, gi, c);
      if (!v || v.hidden || v.withheld) return hiddenCell(reasonOf(v));
      if (show === "score") return one(v.score);
      if (show === "favorable") return one(v.favorable);
      if (show === "n") return count(v.n);
      if (show === "delta") return change(v.delta) + mark(v.deltaMarked);
      return v.diff == null ? NONE : change(v.diff) + mark(v.diffMarked);
    };
    const rows = list.filter((gi) => gi >= 0).map((gi) => {
      const d = g.department[gi], cut = g.cut[gi];
      const dname = d === 0 ? "市全体" : y.departments.code[d] + " " + y.departments.name[d];
      const demo = (cut == null ? ["", ""] : [DATA.demographics[cut[0]].name, DATA.demographics[cut[0]].values[cut[1]]])
        .map((text) => ({ text, cls: "label" }));
      const hidden = g.hidden[gi];
      // The remark: why the group, or which of its values, are not shown.
      const withheld = [], reasons = new Set();
      if (!hidden) names.forEach((nm, c) => { const v = value(yd, gi, c); if (v && v.withheld) { withheld.push(nm); reasons.add(REASONS[v.withheld]); } });
      const remark = hidden ? REASONS[hidden] : withheld.length ? withheld.join("・") + "：" + [...reasons].join("・") : "";
      return {
        cls: hidden ? "hidden-group" : d === 0 && cut == null ? "city" : "",
        cells: [dname].concat(demo, [hidden ? hiddenCell(REASONS[hidden]) : count(g.respondents[gi])],
          names.map((_, c) => (hidden ? hiddenCell(REASONS[hidden]) : cellOf(gi, c))), [{ text: remark, cls: "text" }]),
      };
    });
    main.append(dataTable(title + "の" + y.label + "の" + SHOWS[show], ["所属", "属性", "区分", "回答者数"].concat(names, ["備考"]), rows, { describedBy: descId }));
  }

  // ---- 方法と秘密の保護 ------------------------------------------------------
  function drawAbout(main) {
    main.append(el("h2", null, "方法と秘密の保護"));
    const k = DATA.k;
    [
      "点数は、回答を0〜100点に換算した値の平均です（逆転項目は逆にしてから）。カテゴリの点数は設問の半分以上に答えた人について、総合点はカテゴリの点数の半分以上がある人について計算します。数値は報告書と同じく小数第1位で示します。",
      "＊は、Welch の t 検定の p 値を決まったまとまりごとに Benjamini–Hochberg 法で調整し、調整後の値が0.05未満のものだけに付けています。まとまりは、①市全体のカテゴリと総合の前年度との差、②すべての所属とカテゴリの前年度との差、③すべての所属とカテゴリの市のほかの職員との差、④市全体と所属のすべての属性の区分とカテゴリの前年度との差、⑤集団ごとの設問の前年度との差と市のほかの職員との差、で、どれも年度ごとです。所属と市の比較は、その所属と「市のほかの職員」との差です。",
      "秘密の保護: 回答者が" + k + "人未満の集団や数値は示しません。また、ほかの数値との引き算で少人数の結果が分からないよう、必要な数値も示していません（「他の区分の推計を防ぐため非表示」）。示していない数値は、このファイルにも含まれていません。",
      "重要度と点数: 重要度は、結果の設問（職場への満足など）の点数の違いのうち、そのカテゴリの点数で説明できる割合（Johnson の相対的重み）で、95%区間は回答者の再標本（ブートストラップ）から求めています。「重点改善」は、重要度の95%区間の全体が均等な割合を上回り、点数が比較の基準を下回るカテゴリです（所属は今年度の目安を下回るか市のほかの職員より統計的に確かに低いもの、市全体は今年度の目安を下回るもの）。満足との結びつきを示すもので、原因と結果の関係を示すものではありません。分析は報告する年度の分です。",
      "このファイルは、報告書・集計表（scores の Excel）と同じ公表値だけから作っています。設問別の結果は市全体と所属の全体の分で、属性ごとの設問別は集計表の「項目別」にあります。自由記述や1人ひとりの回答は含みません。",
    ].forEach((t) => main.append(el("p", { class: "description" }, t)));
    const lic = document.getElementById("licence-text");
    if (lic) main.append(lic.content.cloneNode(true));
  }

  // ---- drawing --------------------------------------------------------------
  function render() {
    // The control that changed the view keeps the keyboard's focus after it is drawn again.
    const key = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
    readHash();
    while (charts.length) charts.pop().dispose();
    drawChrome();
    const main = document.getElementById("main");
    main.replaceChildren();
    VIEWS.find((v) => v.id === state.view).draw(main);
    document.title = document.querySelector("h1").textContent + "｜" + VIEWS.find((v) => v.id === state.view).name;
    if (key) {
      const again = document.querySelector('[data-key="' + CSS.escape(key) + '"]');
      if (again) again.focus();
    }
    document.body.dataset.ready = state.view;
    // Milliseconds from the start of navigation to the first view drawn (the browser test reads it).
    if (!document.body.dataset.firstView) document.body.dataset.firstView = String(Math.round(performance.now()));
  }
  window.addEventListener("hashchange", render);
  window.addEventListener("resize", () => resizeAll());
  // A4 less its margins is about 700 CSS pixels wide: the chart is laid out
  // again at that width (its text keeps its size); the height stays.
  window.addEventListener("beforeprint", () => resizeAll({ width: 680 }));
  window.addEventListener("afterprint", () => resizeAll());
  render();
})();
