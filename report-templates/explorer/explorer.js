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
    { id: "about", name: "方法と秘密の保護", draw: drawAbout },
  ];
  const MODES = {
    score: "点数",
    city: "市のほかの職員との差",
    delta: "前年度との差",
  };
  const charts = [];

  // ---- numbers as the reports print them -------------------------------
  function one(v) { return v == null ? NONE : v.toFixed(1); }
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
    const out = { y, cellAt, cityAt, byKey, marked, cityMarked, children };
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
      n: y.cells.n[at], score: y.cells.score[at], favorable: y.cells.favorable[at],
      delta: y.cells.delta[at], deltaMarked: yd.marked.has(at),
      withheld: y.cells.withheld[String(at)] || null, diff: null, diffMarked: false,
    };
    if (yd.cityAt[gi] >= 0) {
      const ct = yd.cityAt[gi] + c;
      v.diff = y.city.difference[ct];
      v.diffMarked = yd.cityMarked.has(ct);
    }
    return v;
  }
  function reasonOf(v) {
    if (!v) return "回答がありません";
    return REASONS[v.hidden || v.withheld] || "";
  }
  function deptName(yd, code) {
    const d = yd.y.departments.code.indexOf(code);
    return d < 0 ? code : yd.y.departments.name[d];
  }

  // ---- state in the address --------------------------------------------
  const state = { year: DATA.year, dept: "ALL", view: "heatmap", cut: "0", mode: "score", cat: String(OVERALL), sort: "" };
  function readHash() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ""));
    for (const k of Object.keys(state)) if (p.has(k)) state[k] = p.get(k);
    state.year = Number(state.year);
    if (!DATA.years.some((y) => y.year === state.year)) state.year = DATA.year;
    if (!VIEWS.some((v) => v.id === state.view)) state.view = "heatmap";
    if (!(state.mode in MODES)) state.mode = "score";
    const yd = yearData(state.year);
    if (!yd.y.departments.code.includes(state.dept)) state.dept = "ALL";
    if (!(Number(state.cut) >= 0 && Number(state.cut) < DATA.demographics.length)) state.cut = "0";
    if (!(Number(state.cat) >= 0 && Number(state.cat) <= OVERALL)) state.cat = String(OVERALL);
  }
  function go(changes) {
    Object.assign(state, changes);
    const p = new URLSearchParams();
    p.set("year", state.year); p.set("dept", state.dept); p.set("view", state.view);
    if (state.view === "heatmap") { p.set("mode", state.mode); if (state.sort) p.set("sort", state.sort); }
    if (state.view === "cuts") p.set("cut", state.cut);
    if (state.view === "trend" || state.view === "cuts") p.set("cat", state.cat);
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
    const s = el("select", { onchange: (e) => onChange(e.target.value) },
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
      [...tr.children].map((c) => c.textContent.replace(/[▸▾]\s*/, "").trim()).join("\t")).join("\n");
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
  function chart(host, option, label) {
    const box = el("div", { class: "chart", role: "img", "aria-label": label });
    host.append(box);
    const c = echarts.init(box, null, { renderer: "svg" });
    c.setOption(Object.assign({
      animation: false,
      textStyle: { fontFamily: getComputedStyle(document.documentElement).fontFamily },
      aria: { enabled: false },
    }, option));
    charts.push(c);
    return c;
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
      type: "button", "aria-current": v.id === state.view ? "page" : null,
      onclick: () => go({ view: v.id }),
    }, v.name)));
    const f = document.getElementById("filters");
    const yd = yearData(state.year);
    const kids = [select("年度", DATA.years.map((y) => [y.year, y.label]), state.year, (v) => go({ year: Number(v) }))];
    if (state.view !== "heatmap" && state.view !== "about") {
      kids.push(select("所属", deptOptions(yd, state.view !== "profile"), state.dept, (v) => go({ dept: v })));
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
          el("input", { type: "radio", name: "mode", value: m, checked: m === mode, onchange: () => go({ mode: m }) }), " " + t))),
      state.sort ? el("button", { type: "button", onclick: () => go({ sort: "" }) }, "所属の順に戻す") : null);
    main.append(controls);
    if (mode === "delta" && !y.previous) {
      main.append(el("p", { class: "description" }, y.label + "の前年度の回答がないため、前年度との差はありません。"));
      return;
    }
    // Cells: the text, the colour's difference, and whether it is marked.
    function cellOf(gi, c) {
      const v = value(yd, gi, c);
      if (!v || v.hidden) return { text: NONE, cls: "hidden-value", title: reasonOf(v) };
      if (v.withheld) return { text: NONE, cls: "hidden-value", title: reasonOf(v) };
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
        el("button", { type: "button", class: "sort", onclick: () => go({ sort: next }),
          title: n + "で並べ替え" }, n + (active ? (descending ? " ▼" : " ▲") : "")));
    }));
    // Departments: in the tree's order, or sorted (then without the tree).
    let order = [];
    const walk = (d) => { order.push(d); if (!collapsed.has(y.departments.code[d])) yd.children[d].forEach(walk); };
    y.departments.code.forEach((code, d) => { if (d > 0 && y.departments.parent[d] == null) walk(d); });
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
          type: "button", class: "toggle", "aria-expanded": String(open),
          "aria-label": y.departments.name[d] + (open ? "の下の所属を閉じる" : "の下の所属を開く"),
          onclick: () => {
            if (open) collapsed.add(code); else collapsed.delete(code);
            state.collapsed = [...collapsed].join(",");
            render();
          },
        }, open ? "▾" : "▸"));
      }
      label.push(y.departments.name[d]);
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
    let markedCount = 0;
    if (mode === "delta") markedCount = y.cells.delta_marked.filter((at) => isWholeDeptCell(yd, at)).length;
    else markedCount = y.city.marked.length;
    const common = "所属ごとのカテゴリ別の" + MODES[mode] + "です（表示" + shown + "所属" +
      (hidden ? "、回答者が少ないなどの理由で数値を示していない所属" + hidden : "") + "）。";
    const colour = mode === "delta"
      ? "前年度より高いほど濃い青、低いほど濃い橙で示します。"
      : mode === "city"
        ? "市のほかの職員より高いほど濃い青、低いほど濃い橙で示します。"
        : "各カテゴリの市全体の点数より高いほど濃い青、低いほど濃い橙で示します。";
    const test = mode === "delta"
      ? "枠で囲み＊を付けた" + markedCount + "か所は、前年度の回答者との差を Welch の t 検定で比べ、所属とカテゴリのすべての組み合わせで偽発見率を5%に抑える調整（Benjamini–Hochberg 法）をしても差があるといえるものです。"
      : "枠で囲んだ" + markedCount + "か所は、その所属の回答者と市のほかの回答者の点数を Welch の t 検定で比べ、所属とカテゴリのすべての組み合わせで偽発見率を5%に抑える調整（Benjamini–Hochberg 法）をしても差があるといえるものです。";
    const tested = mode === "city" ? "表の差は、検定した「その所属と市のほかの職員との差」です。" : "";
    return common + colour + test + "それ以外の差は偶然の範囲と考えられるため、薄い色にしています。" + tested +
      "「—」は数値を示していないところで、理由はその欄に重ねたマウスの表示で分かります。";
  }
  function isWholeDeptCell(yd, at) {
    const C = DATA.categories.length;
    for (let i = 0; i < yd.cellAt.length; i++) {
      if (yd.cellAt[i] >= 0 && at >= yd.cellAt[i] && at < yd.cellAt[i] + C) return yd.cityAt[i] >= 0;
    }
    return false;
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
    desc += "差は、その所属と市のほかの職員との差で、＊は偽発見率を5%に抑える調整をしても差があるといえるものです。";
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
      if (!v || v.withheld) return { cells: [nm, { text: NONE, cls: "hidden-value", title: reasonOf(v) }, one(t && t.score), NONE, NONE, NONE, NONE] };
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
    if (firstYear > 0 && line.length) desc += line[0][0].label + "より前は、統合などで比べられる所属がないため示していません。";
    desc += "前年度との差の＊は、偽発見率を5%に抑える調整をしても差があるといえるものです。";
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
      const mineCell = !v || v.hidden || v.withheld ? { text: NONE, cls: "hidden-value", title: reasonOf(v) } : one(v.score);
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
    const prevYd = yearData(state.year - 1);
    const vals = demo.values.map((vname, i) => ({
      vname, v: value(yd, groupOf(yd, code, [d, i]), c),
      prev: prevYd ? value(prevYd, groupOf(prevYd, code, [d, i]), c) : null,
    }));
    const shown = vals.filter((x) => x.v && x.v.score != null);
    const notShown = vals.filter((x) => x.v && x.v.score == null);
    let desc = name + "の" + cat + "の点数を" + demo.name + "ごとに示します（" + y.label + (prevYd ? "と前年度" : "") + "）。";
    if (shown.length) {
      const hi = shown.reduce((a, b) => (b.v.score > a.v.score ? b : a));
      const lo = shown.reduce((a, b) => (b.v.score < a.v.score ? b : a));
      desc += "最も高いのは" + hi.vname + "（" + one(hi.v.score) + "点）、最も低いのは" + lo.vname + "（" + one(lo.v.score) + "点）です。";
    }
    if (notShown.length) desc += notShown.map((x) => x.vname).join("・") + "は、回答者が少ないなどの理由で示していません。";
    const changed = shown.filter((x) => x.v.deltaMarked);
    if (changed.length) desc += "前年度から統計的に確かに変化したのは" + changed.map((x) => x.vname + "（" + change(x.v.delta) + "）").join("・") + "です。";
    desc += "属性の区分どうしの差は検定していません。";
    const descId = "desc-cuts";
    main.append(el("p", { class: "description", id: descId }, desc));
    const series = [];
    if (prevYd) series.push({ name: prevYd.y.short, type: "bar", data: vals.map((x) => (x.prev && x.prev.score != null ? x.prev.score : null)) });
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
      if (v.hidden || v.withheld) return { cells: [x.vname, { text: NONE, cls: "hidden-value", title: reasonOf(v) }, prevCell(x.prev), NONE, NONE, { text: reasonOf(v), cls: "" }] };
      return { cells: [x.vname, one(v.score), prevCell(x.prev), change(v.delta) + mark(v.deltaMarked), count(v.n), one(v.favorable)] };
    });
    main.append(dataTable(name + "の" + demo.name + "別の" + cat, ["区分", y.short, prevYd ? prevYd.y.short : "前年度", "前年度との差", "回答者数", "肯定率(%)"], rows, { describedBy: descId }));
  }
  function prevCell(p) { return p && p.score != null ? one(p.score) : NONE; }

  // ---- 方法と秘密の保護 ------------------------------------------------------
  function drawAbout(main) {
    main.append(el("h2", null, "方法と秘密の保護"));
    const k = DATA.k;
    [
      "点数は、回答を0〜100点に換算した値の平均です（逆転項目は逆にしてから）。カテゴリの点数は設問の半分以上に答えた人について、総合点はカテゴリの点数の半分以上がある人について計算します。数値は報告書と同じく小数第1位で示します。",
      "＊は、Welch の t 検定の p 値を決まったまとまりごとに Benjamini–Hochberg 法で調整し、調整後の値が0.05未満のものだけに付けています。所属と市の比較は、その所属と「市のほかの職員」との差です。",
      "秘密の保護: 回答者が" + k + "人未満の集団や数値は示しません。また、ほかの数値との引き算で少人数の結果が分からないよう、必要な数値も示していません（「他の区分の推計を防ぐため非表示」）。示していない数値は、このファイルにも含まれていません。",
      "このファイルは、報告書・集計表（scores の Excel）と同じ公表値だけから作っています。自由記述や1人ひとりの回答は含みません。",
    ].forEach((t) => main.append(el("p", { class: "description" }, t)));
    const lic = document.getElementById("licence-text");
    if (lic) main.append(lic.content.cloneNode(true));
  }

  // ---- drawing --------------------------------------------------------------
  function render() {
    readHash();
    while (charts.length) charts.pop().dispose();
    drawChrome();
    const main = document.getElementById("main");
    main.replaceChildren();
    VIEWS.find((v) => v.id === state.view).draw(main);
    document.title = document.querySelector("h1").textContent + "｜" + VIEWS.find((v) => v.id === state.view).name;
    document.body.dataset.ready = state.view;
    // Milliseconds from the start of navigation to the first view drawn (the browser test reads it).
    if (!document.body.dataset.firstView) document.body.dataset.firstView = String(Math.round(performance.now()));
  }
  window.addEventListener("hashchange", render);
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  // A4 less its margins is about 680 CSS pixels wide; the height stays.
  window.addEventListener("beforeprint", () => charts.forEach((c) => c.resize({ width: 680 })));
  window.addEventListener("afterprint", () => charts.forEach((c) => c.resize()));
  render();
})();
