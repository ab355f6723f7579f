// stakeflow's pages. Every number comes from the JSON API (the same library functions as the
// command line); user text is only ever set with textContent, never parsed as HTML.
"use strict";

const DATA = JSON.parse(document.getElementById("page-data").textContent || "{}");
const $ = (sel, root = document) => root.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

async function api(method, url, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const resp = await fetch(url, init);
  let doc = null;
  if (resp.status !== 204) {
    try { doc = await resp.json(); } catch (e) { doc = { errors: ["error: the server answered " + resp.status] }; }
  }
  return { status: resp.status, doc };
}

function showErrors(box, lines) {
  if (!box) return;
  box.textContent = (lines || []).join("\n");
  box.hidden = !lines || lines.length === 0;
}

const fmt2 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fmt0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const money = (x) => fmt2.format(x);
const money0 = (x) => fmt0.format(x);
const pct = (x) => (100 * x).toFixed(2) + "%";

function short(x) {
  const a = Math.abs(x);
  for (const [d, s] of [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]]) {
    if (a >= d) return +(x / d).toPrecision(4) + s;
  }
  return String(+x.toPrecision(4));
}

function debounce(fn, ms) {
  let t = null;
  const wrapped = (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  wrapped.cancel = () => clearTimeout(t);
  return wrapped;
}

function progressKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function fillBody(tbody, rows) {
  tbody.replaceChildren(...rows);
}

function nameOf(names, id) {
  return (names && names[id]) || id;
}

// --- library ------------------------------------------------------------------------------
function libraryPage() {
  const search = $("#search");
  search.addEventListener("input", () => {
    const q = search.value.trim().toLowerCase();
    for (const tr of document.querySelectorAll("#library tbody tr[data-id]")) {
      tr.hidden = q !== "" && !tr.dataset.name.includes(q);
    }
  });
  $("#upload").addEventListener("change", async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    const text = await file.text();
    const name = file.name.replace(/\.(ya?ml|json)$/i, "");
    const r = await api("POST", "/api/scenarios", { name, text });
    if (r.status === 201) { location.href = "/scenarios/" + r.doc.id; return; }
    showErrors($("#upload-errors"), [file.name + " was not saved:", ...r.doc.errors]);
    ev.target.value = "";
  });
  for (const b of document.querySelectorAll("button.delete")) {
    b.addEventListener("click", async () => {
      const tr = b.closest("tr");
      if (!confirm("Delete “" + tr.querySelector("a.name").textContent + "” and all its revisions?")) return;
      const r = await api("DELETE", "/api/scenarios/" + b.dataset.id);
      if (r.status === 204) tr.remove();
      else showErrors($("#upload-errors"), r.doc.errors);
    });
  }
}

// --- waterfall explorer ---------------------------------------------------------------------
function curveAt(curve, x) {
  // The payoff curve is exact and piecewise linear: each payout is linear between breakpoints
  // and grows at slope_after beyond the last, so the page evaluates it without the server.
  const b = curve.breakpoints;
  let lo = 0, hi = b.length - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (b[mid] <= x) lo = mid; else hi = mid - 1; }
  const out = {};
  for (const [h, c] of Object.entries(curve.holders)) {
    const v = c.values;
    if (lo === b.length - 1) out[h] = v[lo] + c.slope_after * (x - b[lo]);
    else out[h] = v[lo] + (v[lo + 1] - v[lo]) * (x - b[lo]) / (b[lo + 1] - b[lo]);
  }
  return out;
}

function segmentSlopes(curve, h) {
  const b = curve.breakpoints, v = curve.holders[h].values, s = [];
  for (let k = 0; k < b.length - 1; k++) s.push((v[k + 1] - v[k]) / (b[k + 1] - b[k]));
  s.push(curve.holders[h].slope_after);
  return s; // s[k]: slope just above breakpoint k
}

function explorePage() {
  const slider = $("#exit-slider"), box = $("#exit-box"), entitySel = $("#entity");
  let names = {}, curve = null, seq = 0, currency = "";

  async function start() {
    const o = await api("POST", "/api/outline", { scenario_id: DATA.id });
    if (o.status !== 200) { showErrors($("#load-errors"), o.doc.errors); return; }
    names = o.doc.names;
    currency = o.doc.currency;
    $("#currency").textContent = currency;
    entitySel.replaceChildren(...o.doc.entities.map((e) => el("option", { value: e, text: nameOf(names, e) })));
    if (o.doc.entity) entitySel.value = o.doc.entity;
    await loadCurve();
  }

  async function loadCurve() {
    const r = await api("POST", "/api/explorer", { scenario_id: DATA.id, entity: entitySel.value || null });
    if (r.status !== 200) { showErrors($("#load-errors"), r.doc.errors); return; }
    showErrors($("#load-errors"), []);
    curve = r.doc;
    names = { ...names, ...curve.names };
    slider.max = curve.slider_max;
    slider.step = curve.slider_max / 2000;
    $("#slider-max").textContent = short(curve.slider_max);
    const start = curve.default_exit ?? curve.slider_max / 4;
    fillBody($("#payouts tbody"), Object.keys(curve.holders).map((h) =>
      el("tr", { "data-holder": h }, el("td", { class: "name", text: nameOf(names, h) }),
        el("td", { class: "num amount" }), el("td", { class: "num share" }))));
    drawChart();
    breakpointTable();
    slider.value = start;
    box.value = short(start);
    showApprox(start);
    fetchExact(String(start));
  }

  function render(amounts, x, exact) {
    let total = 0;
    for (const tr of document.querySelectorAll("#payouts tbody tr")) {
      const a = amounts[tr.dataset.holder] ?? 0;
      total += a;
      tr.querySelector(".amount").textContent = money(a);
      tr.querySelector(".share").textContent = x > 0 ? pct(a / x) : "–";
    }
    $("#payout-total").textContent = money(total);
    const badge = $("#exactness");
    badge.textContent = exact ? "exact, at " + currency + " " + money(x) : "from the payoff curve, updating…";
    badge.className = exact ? "badge exact" : "badge";
  }

  function showApprox(x) {
    render(curveAt(curve, x), x, false);
    moveMarker(x);
  }

  const fetchSoon = debounce(() => fetchExact(String(slider.value)), 250);

  async function fetchExact(exitText) {
    const mine = ++seq;
    const r = await api("POST", "/api/waterfall", { scenario_id: DATA.id, entity: entitySel.value || null, exit: exitText });
    if (mine !== seq) return; // a later request has been sent
    if (r.status !== 200) { showErrors($("#exit-errors"), r.doc.errors); return; }
    showErrors($("#exit-errors"), []);
    const x = r.doc.exit_value;
    if (Number(slider.max) < x) slider.max = x;
    slider.value = x;
    moveMarker(x);
    render(r.doc.holders, x, true);
    breakdown(r.doc);
    $("#ledger").replaceChildren();
    $("#ledger").hidden = true;
    const xl = $("#dl-xlsx");
    if (xl) xl.href = `/scenarios/${DATA.id}/download/xlsx?exit=${encodeURIComponent(exitText)}&entity=${encodeURIComponent(entitySel.value)}`;
  }

  function breakdown(doc) {
    const parts = [];
    for (const [eid, flow] of Object.entries(doc.entities)) {
      parts.push(el("h3", { class: "small", text: nameOf(names, eid) }));
      if (flow.classes) {
        const rows = Object.entries(flow.classes).map(([c, a]) => el("tr", {},
          el("td", { text: nameOf(names, c) + (flow.converted.includes(c) ? " (converts to common)" : "") }),
          el("td", { class: "num", text: money(a) })));
        parts.push(el("table", { class: "wide" }, el("thead", {}, el("tr", {}, el("th", { text: "class" }),
          el("th", { class: "num", text: "amount" }))), el("tbody", {}, ...rows)));
      } else if (flow.tiers) {
        const rows = [];
        flow.tiers.forEach((t) => {
          for (const [k, a] of Object.entries(t.paid)) {
            rows.push(el("tr", {}, el("td", { text: t.name }), el("td", { text: nameOf(names, k) }),
              el("td", { class: "num", text: money(a) })));
          }
        });
        parts.push(el("table", { class: "wide tiers" }, el("thead", {}, el("tr", {}, el("th", { text: "tier" }),
          el("th", { text: "paid to" }), el("th", { class: "num", text: "amount" }))), el("tbody", {}, ...rows)));
      }
    }
    $("#breakdown").replaceChildren(...parts);
  }

  async function explain() {
    const r = await api("POST", "/api/explain", { scenario_id: DATA.id, entity: entitySel.value || null, exit: String(slider.value) });
    if (r.status !== 200) { showErrors($("#exit-errors"), r.doc.errors); return; }
    const rows = r.doc.steps.map((s) => el("tr", {}, el("td", { text: nameOf(names, s.entity) }),
      el("td", { text: s.kind.replace(/_/g, " ") }), el("td", { text: s.text }),
      el("td", { class: "num", text: s.amount === null ? "" : (s.kind === "residual" ? s.amount.toFixed(6) + " /sh" : money(s.amount)) })));
    $("#ledger").hidden = false;
    $("#ledger").replaceChildren(el("h2", { text: "Every step at " + currency + " " + money(r.doc.exit_value) }),
      el("div", { class: "scroll" }, el("table", { class: "wide", id: "ledger-table" },
        el("thead", {}, el("tr", {}, el("th", { text: "entity" }), el("th", { text: "step" }), el("th", { text: "what" }),
          el("th", { class: "num", text: "amount" }))), el("tbody", {}, ...rows))));
  }

  function drawChart() {
    if (!window.Plotly) return;
    const top = curve.slider_max, b = curve.breakpoints;
    const xs = [...b.filter((x) => x < top), top];
    const end = curveAt(curve, top);
    const traces = Object.keys(curve.holders).map((h) => ({
      x: xs, y: xs.map((x, i) => (i < xs.length - 1 ? curve.holders[h].values[i] : end[h])),
      name: plain(nameOf(names, h)), mode: "lines", type: "scatter", line: { width: 2 },
      hovertemplate: "%{fullData.name}<br>exit %{x:,.0f}<br>payout %{y:,.0f}<extra></extra>",
    }));
    const many = traces.length > 12;
    Plotly.newPlot("payoff-chart", traces, {
      height: many ? 560 : 440, margin: { l: 70, r: 10, t: 10, b: 50 },
      xaxis: { title: { text: "exit (proceeds, " + curve.currency + ")" }, rangemode: "tozero" },
      yaxis: { title: { text: "payout" }, rangemode: "tozero" },
      legend: many ? { font: { size: 10 }, x: 1.01, y: 1, itemclick: "toggleothers" } : { x: 0.01, y: 0.99, bgcolor: "rgba(255,255,255,0.8)" },
      hovermode: "closest",
      shapes: [{ type: "line", xref: "x", yref: "paper", x0: 0, x1: 0, y0: 0, y1: 1, line: { color: "#a93226", width: 1.5, dash: "dot" } }],
    }, { displaylogo: false, responsive: true });
  }

  function moveMarker(x) {
    const chart = $("#payoff-chart");
    if (window.Plotly && chart.data) Plotly.relayout(chart, { "shapes[0].x0": x, "shapes[0].x1": x });
  }

  function breakpointTable() {
    const holders = Object.keys(curve.holders);
    const slopes = Object.fromEntries(holders.map((h) => [h, segmentSlopes(curve, h)]));
    const rows = curve.breakpoints.map((bp, k) => {
      const changes = [];
      for (const h of holders) {
        const before = k === 0 ? 0 : slopes[h][k - 1], after = slopes[h][k];
        if (Math.abs(after - before) > 1e-12) changes.push(nameOf(names, h) + " " + pct(before) + " → " + pct(after));
      }
      return el("tr", {}, el("td", { class: "num", text: money0(bp) }), el("td", { text: changes.join("; ") }));
    });
    fillBody($("#breakpoints tbody"), rows);
  }

  slider.addEventListener("input", () => {
    seq++; // an answer for an earlier position must not move the slider back
    const x = Number(slider.value);
    box.value = short(x);
    showApprox(x);
    fetchSoon();
  });
  slider.addEventListener("change", () => { fetchSoon.cancel(); fetchExact(String(slider.value)); });
  box.addEventListener("change", () => { fetchSoon.cancel(); fetchExact(box.value); });
  entitySel.addEventListener("change", loadCurve);
  $("#explain").addEventListener("click", explain);
  start();
}

// --- editor and revisions -----------------------------------------------------------------
const LINE = 18, PAD = 6;

function withoutPath(message) {
  // "entities[0].classes[5].seniorty: unknown key ..." -> "unknown key ..." (the line says where)
  const m = /^[A-Za-z_][\w.\[\]]*: (.*)$/.exec(message);
  return m ? m[1] : message;
}

function plain(text) {
  // Plotly reads a few HTML-like tags in labels; names are shown as written.
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function editorPage() {
  const ta = $("#editor"), gutter = $("#gutter"), marks = $("#marks");
  let problems = new Map(); // line -> messages

  function lines() { return ta.value.split("\n").length; }

  function drawGutter() {
    const n = lines();
    const rows = [];
    for (let i = 1; i <= n; i++) {
      const bad = problems.has(i);
      rows.push(el("div", { class: bad ? "bad" : null, title: bad ? problems.get(i).join("\n") : null, "data-line": i, text: i }));
    }
    rows.push(el("div", { style: "height:40px" }));
    gutter.replaceChildren(...rows);
    const notes = [el("div", { style: `position:static;height:${n * LINE + 2 * PAD + 40}px` })];
    for (const [line, msgs] of problems) {
      notes.push(el("div", { class: "mark", "data-line": line, title: msgs.join("\n"), style: `top:${PAD + (line - 1) * LINE}px`, text: "◀ " + msgs.map(withoutPath).join(" · ") }));
    }
    marks.replaceChildren(...notes);
    sync();
  }

  function sync() { gutter.scrollTop = ta.scrollTop; marks.scrollTop = ta.scrollTop; }

  function setProblems(errs) {
    problems = new Map();
    const loose = [];
    for (const line of errs) {
      const m = /^error: scenario:(\d+): ?(.*)$/.exec(line);
      if (m) {
        const n = Number(m[1]);
        if (!problems.has(n)) problems.set(n, []);
        problems.get(n).push(m[2]);
      }
      loose.push(line);
    }
    $("#problems").replaceChildren(...loose.map((l) => el("li", { text: l })));
    drawGutter();
  }

  let checking = 0;
  const check = debounce(async () => {
    const mine = ++checking;
    const r = await api("POST", "/api/validate", { scenario: ta.value });
    if (mine !== checking) return;
    if (r.status === 200) { setProblems([]); status("valid" + (r.doc.name ? ": " + r.doc.name : "")); }
    else { setProblems(r.doc.errors || []); status(r.doc.errors.length + " problem" + (r.doc.errors.length > 1 ? "s" : "")); }
  }, 400);

  function status(text) { $("#status").textContent = text; }

  ta.addEventListener("input", () => { drawGutter(); check(); });
  ta.addEventListener("scroll", sync);
  ta.addEventListener("keydown", (ev) => {
    if (ev.key === "Tab") { ev.preventDefault(); ta.setRangeText("  ", ta.selectionStart, ta.selectionEnd, "end"); drawGutter(); check(); }
  });

  async function save() {
    const name = $("#name").value;
    let r;
    if (DATA.id === null || DATA.id === undefined) {
      r = await api("POST", "/api/scenarios", { name, text: ta.value });
      if (r.status === 201) { location.href = "/scenarios/" + r.doc.id; return; }
    } else {
      const body = { text: ta.value, revision: DATA.revision };
      if (name.trim()) body.name = name;
      r = await api("PUT", "/api/scenarios/" + DATA.id, body);
      if (r.status === 200) {
        DATA.revision = r.doc.revision;
        $("#revision").textContent = r.doc.revision;
        if (name.trim()) $("#scenario-name").textContent = name.trim();
        showErrors($("#save-errors"), []);
        status("saved as revision " + r.doc.revision);
        loadHistory();
        return;
      }
    }
    showErrors($("#save-errors"), ["Not saved.", ...(r.doc.errors || [])]);
    if (r.status === 422) setProblems(r.doc.errors || []);
    status(r.status === 409 ? "someone saved revision " + r.doc.revision + " meanwhile" : "not saved");
  }

  async function showDiff(rev) {
    const r = await api("GET", `/api/scenarios/${DATA.id}/revisions/${rev}/diff`);
    const pre = $("#diff");
    if (r.status !== 200) { pre.textContent = r.doc.errors.join("\n"); return; }
    const text = r.doc.diff || "(no change to the text)";
    pre.className = "diff";
    pre.replaceChildren(...text.split("\n").map((l) => el("span", {
      class: l.startsWith("+") && !l.startsWith("+++") ? "add" : l.startsWith("-") && !l.startsWith("---") ? "del" : null,
      text: l + "\n" })));
  }

  async function restore(rev) {
    const old = await api("GET", `/api/scenarios/${DATA.id}/revisions/${rev}`);
    if (old.status !== 200) return;
    const r = await api("PUT", "/api/scenarios/" + DATA.id, { text: old.doc.text, revision: DATA.revision });
    if (r.status !== 200) { showErrors($("#save-errors"), ["Not restored.", ...r.doc.errors]); return; }
    ta.value = old.doc.text;
    DATA.revision = r.doc.revision;
    $("#revision").textContent = r.doc.revision;
    status("revision " + rev + " restored as revision " + r.doc.revision);
    drawGutter();
    check();
    loadHistory();
  }

  async function loadHistory() {
    if (DATA.id === null || DATA.id === undefined) return;
    const r = await api("GET", `/api/scenarios/${DATA.id}/revisions`);
    if (r.status !== 200) return;
    const rows = r.doc.revisions.slice().reverse().map((v) => el("tr", { class: v.revision === DATA.revision ? "current" : null, "data-revision": v.revision },
      el("td", { class: "num", text: v.revision }), el("td", { text: v.name }), el("td", { class: "small nowrap", text: v.saved.replace("T", " ").slice(0, 16) }),
      el("td", {}, el("button", { type: "button", class: "link diff-button", text: "changes", onclick: () => showDiff(v.revision) }),
        v.revision === DATA.revision ? "" : el("button", { type: "button", class: "link restore-button", text: "restore", onclick: () => restore(v.revision) }))));
    fillBody($("#revisions tbody"), rows);
  }

  $("#save").addEventListener("click", save);
  document.addEventListener("keydown", (ev) => { if ((ev.ctrlKey || ev.metaKey) && ev.key === "s") { ev.preventDefault(); save(); } });
  drawGutter();
  check();
  loadHistory();
}

// --- valuation ---------------------------------------------------------------------------
function valuePage() {
  const form = $("#value-form"), method = $("#method");
  let names = {}, classes = {};

  function shown() {
    for (const lab of form.querySelectorAll("label[class^=only], label[class*=' only']")) {
      lab.hidden = !lab.className.split(" ").includes("only-" + method.value);
    }
    for (const c of document.querySelectorAll(".se")) c.hidden = method.value !== "montecarlo";
  }

  async function start() {
    const o = await api("POST", "/api/outline", { scenario_id: DATA.id });
    if (o.status !== 200) { showErrors($("#value-errors"), o.doc.errors); return; }
    names = o.doc.names;
    classes = o.doc.classes;
    const ev = form.querySelector("input[name=equity_value]");
    if (o.doc.exit && !ev.value) ev.value = o.doc.exit; // the file's exit value as a first guess
    $("#entity").replaceChildren(...o.doc.entities.map((e) => el("option", { value: e, text: nameOf(names, e) })));
    if (o.doc.entity) $("#entity").value = o.doc.entity;
    fillClasses();
  }

  function fillClasses() {
    $("#backsolve").replaceChildren(...(classes[$("#entity").value] || []).map((c) => el("option", { value: c, text: nameOf(names, c) })));
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const m = method.value;
    const body = { scenario_id: DATA.id, method: m === "backsolve" ? "opm" : m, entity: f.get("entity") || null,
      volatility: f.get("volatility"), term: f.get("term"), rate: f.get("rate") };
    if (m === "backsolve") { body.backsolve = f.get("backsolve"); body.price = f.get("price"); }
    else body.equity_value = f.get("equity_value");
    if (m === "montecarlo") { body.paths = f.get("paths"); body.seed = f.get("seed"); }
    const key = progressKey(), bar = $("#value-progress");
    const total = m === "montecarlo" ? Number(String(f.get("paths")).replace(/[_,]/g, "")) || 0 : 0;
    bar.hidden = m !== "montecarlo";
    bar.value = 0;
    const poll = m === "montecarlo" ? setInterval(async () => {
      const p = await api("GET", "/api/progress/" + key);
      if (p.status === 200 && total) bar.value = Math.min(1, p.doc.done / total);
    }, 300) : null;
    $("#run-value").disabled = true;
    try {
      const r = await api("POST", "/api/value", body, { "X-Progress-Key": key });
      if (r.status !== 200) { showErrors($("#value-errors"), r.doc.errors); return; }
      showErrors($("#value-errors"), []);
      const d = r.doc, se = d.standard_errors || {}, cse = d.class_standard_errors || {};
      $("#value-summary").textContent = `${nameOf(names, d.entity)}: equity value ${money0(d.equity_value)}` +
        (d.backsolve ? ` (backsolved from ${nameOf(names, d.backsolve.class)} at ${d.backsolve.price})` : "");
      fillBody($("#value-holders tbody"), Object.entries(d.holders).map(([h, v]) => el("tr", { "data-holder": h },
        el("td", { class: "name", text: nameOf(names, h) }), el("td", { class: "num", text: money0(v) }),
        el("td", { class: "num", text: d.equity_value ? pct(v / d.equity_value) : "–" }),
        el("td", { class: "num se", text: h in se ? money0(se[h]) : "" }))));
      fillBody($("#value-classes tbody"), Object.entries(d.classes).map(([c, v]) => el("tr", {},
        el("td", { text: nameOf(names, c) }), el("td", { class: "num", text: v.toFixed(4) }),
        el("td", { class: "num se", text: c in cse ? cse[c].toFixed(4) : "" }))));
      shown();
      bar.value = 1;
    } finally {
      if (poll) clearInterval(poll);
      $("#run-value").disabled = false;
    }
  });
  method.addEventListener("change", shown);
  $("#entity").addEventListener("change", fillClasses);
  shown();
  start();
}

// --- control -----------------------------------------------------------------------------
async function controlPage() {
  const r = await api("POST", "/api/control/view", { scenario_id: DATA.id });
  if (r.status !== 200) { showErrors($("#control-errors"), r.doc.errors); return; }
  const names = r.doc.names, none = "no controller";
  fillBody($("#control tbody"), Object.entries(r.doc.entities).map(([e, f]) => el("tr", { "data-entity": e },
    el("td", { text: nameOf(names, e) }), el("td", { text: f.controller ? nameOf(names, f.controller) : none }),
    el("td", { text: { board: "appoints a board majority", votes: "holds a majority of votes", none: "—" }[f.basis] || f.basis }),
    el("td", { text: f.ultimate_controller ? nameOf(names, f.ultimate_controller) : none }),
    el("td", { text: f.chain.map((c) => nameOf(names, c)).join(" ← ") }))));
  if (window.Plotly) {
    const fig = r.doc.figure;
    Plotly.newPlot("control-chart", fig.data, { ...fig.layout, autosize: true }, { displaylogo: false, responsive: true });
  }
}

// --- compare -----------------------------------------------------------------------------
function comparePage() {
  const form = $("#compare-form");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const map = {};
    for (const part of String(f.get("map") || "").split(",")) {
      const [a, b] = part.split("=").map((s) => (s || "").trim());
      if (a && b) map[a] = b;
    }
    const body = { before_id: f.get("before_id"), after_id: f.get("after_id"), map, paths: f.get("paths"), seed: f.get("seed") };
    const key = progressKey(), bar = $("#compare-progress");
    const total = 2 * (Number(String(f.get("paths")).replace(/[_,]/g, "")) || 0);
    bar.hidden = false;
    bar.value = 0;
    const poll = setInterval(async () => {
      const p = await api("GET", "/api/progress/" + key);
      if (p.status === 200 && total) bar.value = Math.min(1, p.doc.done / total);
    }, 300);
    $("#run-compare").disabled = true;
    try {
      const r = await api("POST", "/api/compare", body, { "X-Progress-Key": key });
      if (r.status !== 200) { showErrors($("#compare-errors"), r.doc.errors); return; }
      showErrors($("#compare-errors"), []);
      const d = r.doc, names = d.names;
      const q = new URLSearchParams({ before_id: body.before_id, after_id: body.after_id, paths: body.paths, seed: body.seed,
        map: Object.entries(map).map(([a, b]) => a + "=" + b).join(",") });
      $("#report").href = "/compare/report?" + q.toString();
      $("#report-link").hidden = false;
      $("#compare-summary").textContent = `${d.before.name} → ${d.after.name} (${d.currency}; ${money0(d.paths)} paths, seed ${d.seed})`;
      const parties = Object.entries(d.parties);
      fillBody($("#transfer tbody"), parties.map(([p, t]) => el("tr", { "data-party": p },
        el("td", { class: "name", text: nameOf(names, p) }), el("td", { class: "num", text: money0(t.before) }),
        el("td", { class: "num", text: money0(t.after) }), el("td", { class: "num", text: money0(t.change) }),
        el("td", { class: "num", text: money0(t.change_standard_error) }))));
      if (window.Plotly) {
        const sorted = parties.slice().sort((a, b) => a[1].change - b[1].change);
        Plotly.newPlot("transfer-chart", [{
          type: "bar", orientation: "h", y: sorted.map(([p]) => plain(nameOf(names, p))), x: sorted.map(([, t]) => t.change),
          error_x: { type: "data", array: sorted.map(([, t]) => 2 * t.change_standard_error), visible: true },
          marker: { color: sorted.map(([, t]) => (t.change >= 0 ? "#1e7b3c" : "#a93226")) },
          hovertemplate: "%{y}: %{x:,.0f}<extra></extra>",
        }], { height: Math.max(300, 40 + 28 * sorted.length), margin: { l: 200, r: 20, t: 10, b: 50 },
          xaxis: { title: { text: "change in value (" + d.currency + "), ± 2 s.e." }, zeroline: true },
          yaxis: { automargin: true } }, { displaylogo: false, responsive: true });
      }
      bar.value = 1;
    } finally {
      clearInterval(poll);
      $("#run-compare").disabled = false;
    }
  });
}

const PAGES = { library: libraryPage, explore: explorePage, editor: editorPage, value: valuePage, control: controlPage, compare: comparePage };
if (PAGES[DATA.page]) PAGES[DATA.page]();
