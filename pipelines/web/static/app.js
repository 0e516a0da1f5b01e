// circuitsmith web chat: plain JavaScript, no build step.
// Every string from the server (user text, model output, part names, PDF text) goes into the page
// with textContent or as an attribute value, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
let thread = null;
let zoom = 1, panX = 0, panY = 0;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function newThreadId() {
  return "t-" + Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
}

function setThread(id) {
  thread = id;
  history.replaceState(null, "", "#" + encodeURIComponent(id));
  for (const li of $("threads").children) li.classList.toggle("current", li.dataset.id === id);
}

function addMsg(role, text) {
  const m = el("div", text, "msg " + role);
  $("chat").appendChild(m);
  $("chat").scrollTop = $("chat").scrollHeight;
}

function table(node, headers, rows) {
  node.replaceChildren();
  if (!rows.length) return;
  const head = el("tr");
  headers.forEach((h) => head.appendChild(el("th", h)));
  node.appendChild(head);
  rows.forEach((r) => {
    const tr = el("tr");
    r.forEach((c) => tr.appendChild(el("td", c)));
    node.appendChild(tr);
  });
}

function fileUrl(name, download) {
  return "/api/threads/" + encodeURIComponent(thread) + "/files/" + name.split("/").map(encodeURIComponent).join("/") +
    (download ? "?download=1" : "");
}

function applyZoom() {
  $("schematic").style.transform = "translate(" + panX + "px," + panY + "px) scale(" + zoom + ")";
}

function showDesign(v) {
  $("chat").replaceChildren();
  (v.turns || []).forEach((t) => addMsg(t.role === "user" ? "user" : "assistant", t.content));
  const banner = $("safety-banner");
  banner.textContent = v.safety || "";
  banner.classList.toggle("hidden", !v.safety);
  const verdict = $("verdict");
  verdict.textContent = v.files.length ? (v.pass ? "PASS: the design passes its checks" : "FAIL: see the findings") : "";
  verdict.className = v.pass ? "pass" : "fail";
  const img = $("schematic");
  if (v.files.includes("schematic.svg")) {
    img.src = fileUrl("schematic.svg") + "?v=" + v.version + "-" + Date.now();
    img.classList.remove("hidden");
  } else {
    img.removeAttribute("src");
  }
  const dl = $("downloads");
  dl.replaceChildren();
  v.files.forEach((f) => {
    const li = el("li");
    const a = el("a", f);
    a.href = fileUrl(f, true);
    a.setAttribute("download", f.split("/").pop());
    li.appendChild(a);
    dl.appendChild(li);
  });
  const fl = $("findings");
  fl.replaceChildren();
  (v.findings || []).forEach((f) => {
    const li = el("li", null, "sev-" + f.severity);
    li.appendChild(el("b", f.severity + " " + f.rule + ": "));
    li.appendChild(document.createTextNode(f.message || ""));
    if (f.fix) li.appendChild(el("div", "fix: " + (typeof f.fix === "string" ? f.fix : JSON.stringify(f.fix)), "muted"));
    fl.appendChild(li);
  });
  if (!(v.findings || []).length && v.files.length) fl.appendChild(el("li", "no findings"));
  const bom = v.bom || [];
  table($("bom"), bom.length ? Object.keys(bom[0]) : [], bom.map((r) => Object.values(r)));
  table($("spice"), ["net", "volts"], Object.entries(v.spice || {}).map(([n, x]) => [n, Number(x).toFixed(3)]));
  $("wiring").textContent = v.wiring || "";
  const agents = Object.entries(v.backends || {}).map(([a, b]) => a + ": " + b).join("\n");
  const tokens = v.llm && v.llm.total ? "\ntokens: " + JSON.stringify(v.llm.total) : "";
  $("agents").textContent = agents + tokens;
}

async function loadThreads() {
  const r = await fetch("/api/threads");
  const list = await r.json();
  const ul = $("threads");
  ul.replaceChildren();
  list.forEach((t) => {
    const li = el("li", t.title || t.id);
    li.dataset.id = t.id;
    li.title = t.title || t.id;
    li.addEventListener("click", () => openThread(t.id));
    ul.appendChild(li);
  });
  if (thread) setThread(thread);
}

async function openThread(id) {
  setThread(id);
  const r = await fetch("/api/threads/" + encodeURIComponent(id));
  if (r.ok) showDesign(await r.json());
}

async function send(text) {
  if (!thread) setThread(newThreadId());
  addMsg("user", text);
  const stages = $("stages");
  stages.replaceChildren();
  $("send").disabled = true;
  try {
    const r = await fetch("/api/threads/" + encodeURIComponent(thread) + "/messages", {
      method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({text}),
    });
    if (!r.ok) {
      const err = await r.json().catch(() => ({detail: r.statusText}));
      addMsg("error", "error: " + (typeof err.detail === "string" ? err.detail : JSON.stringify(err.detail)));
      return;
    }
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buf += decoder.decode(value, {stream: true});
      let cut;
      while ((cut = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const event = (block.match(/^event: (.*)$/m) || [])[1];
        const data = JSON.parse((block.match(/^data: (.*)$/m) || [, "{}"])[1]);
        if (event === "stage") stages.appendChild(el("li", "✓ " + data.label + (data.note ? " (" + data.note + ")" : ""), "stage"));
        else if (event === "design") showDesign(data);
        else if (event === "error") addMsg("error", "error: " + data.message);
      }
    }
  } catch (e) {
    addMsg("error", "error: " + e);
  } finally {
    $("send").disabled = false;
    loadThreads();
  }
}

function setupSchematic() {
  const box = $("schematic-box");
  let drag = null;
  box.addEventListener("wheel", (e) => {
    e.preventDefault();
    zoom = Math.min(8, Math.max(0.2, zoom * (e.deltaY < 0 ? 1.15 : 1 / 1.15)));
    applyZoom();
  }, {passive: false});
  box.addEventListener("mousedown", (e) => { drag = {x: e.clientX - panX, y: e.clientY - panY}; });
  window.addEventListener("mouseup", () => { drag = null; });
  window.addEventListener("mousemove", (e) => {
    if (!drag) return;
    panX = e.clientX - drag.x;
    panY = e.clientY - drag.y;
    applyZoom();
  });
  $("zoom-in").addEventListener("click", () => { zoom *= 1.25; applyZoom(); });
  $("zoom-out").addEventListener("click", () => { zoom /= 1.25; applyZoom(); });
  $("zoom-reset").addEventListener("click", () => {
    const img = $("schematic");
    zoom = img.naturalWidth ? Math.min(1, box.clientWidth / img.naturalWidth) : 1;
    panX = panY = 0;
    applyZoom();
  });
  $("schematic").addEventListener("load", () => $("zoom-reset").click());
}

function setupTabs() {
  document.querySelectorAll(".tab").forEach((b) => b.addEventListener("click", () => {
    document.querySelectorAll(".tab").forEach((x) => x.classList.toggle("active", x === b));
    document.querySelectorAll(".panel").forEach((p) => p.classList.toggle("hidden", p.id !== b.dataset.tab));
  }));
}

function setupDatasheet() {
  $("ds-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = $("ds-file").files[0];
    if (!f) return;
    $("ds-status").textContent = "extracting " + f.name + " …";
    const form = new FormData();
    form.append("file", f);
    const part = $("ds-part").value.trim();
    const r = await fetch("/api/datasheets" + (part ? "?part=" + encodeURIComponent(part) : ""), {method: "POST", body: form});
    const d = await r.json().catch(() => ({detail: r.statusText}));
    if (!r.ok || d.ok === false) {
      $("ds-status").textContent = "error: " + (d.error || d.detail || r.statusText);
      return;
    }
    $("ds-status").textContent = (d.part || "part") + " (" + (d.class || "?") + "): " + d.params.length + " parameters, model " + d.model;
    table($("ds-params"), ["parameter", "value", "unit", "conditions", "page", "source text"],
      d.params.map((p) => [p.name, p.value, p.unit || "", Object.entries(p.conditions || {}).map(([k, x]) => k + "=" + x).join(", "),
        p.page, p.source]));
    const ul = $("ds-files");
    ul.replaceChildren();
    d.files.forEach((n) => {
      const li = el("li");
      const a = el("a", n);
      a.href = "/api/datasheets/" + encodeURIComponent(d.job) + "/files/" + encodeURIComponent(n);
      li.appendChild(a);
      ul.appendChild(li);
    });
  });
}

function setupSizing() {
  $("size-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = $("size-text").value.trim();
    if (!text) return;
    $("size-status").textContent = "sizing with SPICE in the loop …";
    const r = await fetch("/api/size", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({text})});
    const d = await r.json().catch(() => ({detail: r.statusText}));
    if (!r.ok) {
      $("size-status").textContent = "error: " + (typeof d.detail === "string" ? d.detail : JSON.stringify(d.detail));
      return;
    }
    const s = d.summary;
    $("size-status").textContent = s.error ? "not sized: " + s.error : (s.pass ? "met" : "not met") + ": " +
      (s.parts || []).map((p) => p[0] + " = " + p[1]).join(", ");
    $("size-report").textContent = d.report;
    const plot = $("size-plot");
    const png = (d.files || []).find((n) => n.endsWith(".png"));
    if (png) {
      plot.src = "/api/size/" + encodeURIComponent(d.job) + "/files/" + encodeURIComponent(png);
      plot.classList.remove("hidden");
    } else plot.classList.add("hidden");
  });
}

async function init() {
  setupTabs();
  setupSchematic();
  setupDatasheet();
  setupSizing();
  $("chat-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("request").value.trim();
    if (!text) return;
    $("request").value = "";
    send(text);
  });
  $("request").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("chat-form").requestSubmit(); }
  });
  $("new-thread").addEventListener("click", () => {
    setThread(newThreadId());
    $("chat").replaceChildren();
    $("stages").replaceChildren();
    showDesign({files: [], turns: [], version: 0});
  });
  fetch("/api/settings").then((r) => r.json()).then((s) => {
    $("llm-settings").textContent = s.llm ? "LLM: " + s.model + " at " + s.base_url : s.note;
  });
  await loadThreads();
  const fromHash = decodeURIComponent(location.hash.slice(1));
  if (fromHash) await openThread(fromHash);
}

document.addEventListener("DOMContentLoaded", init);
