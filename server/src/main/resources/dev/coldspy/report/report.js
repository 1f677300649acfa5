"use strict";
// The ColdSpy report page. Everything it shows comes from the JSON in #coldspy-data; nothing is fetched.
(function () {
  const data = JSON.parse(document.getElementById("coldspy-data").textContent);
  const analysis = data.analysis.analyses[0];
  const CHILDREN_PAGE = 200; // children listed per expansion; the rest behind a "more" line
  const CDF_STEPS = 2000; // most steps drawn per CDF curve
  const ZERO_MS = 0.05; // a row below this shows as "0.0 ms": hidden until "show 0 ms rows" is ticked
  const HOT_PATH_SHARE = 0.1; // the call tree opens along the heaviest child while it holds this share of all samples
  const HOT_PATH_DEPTH = 64; // and at most this many levels deep

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }
  const svgNs = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    const node = document.createElementNS(svgNs, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function fmtMs(ms) {
    if (ms === null || ms === undefined || Number.isNaN(ms)) return "–";
    return ms >= 1000 ? (ms / 1000).toFixed(2) + " s" : ms >= 10 ? ms.toFixed(0) + " ms" : ms.toFixed(1) + " ms";
  }
  function fmtBytes(bytes) {
    if (bytes === null || bytes === undefined) return "–";
    const mib = bytes / (1024 * 1024);
    return mib >= 1 ? mib.toFixed(1) + " MiB" : (bytes / 1024).toFixed(0) + " KiB";
  }
  function fmtCount(n) { return Number(n).toLocaleString("en-US"); }
  // A link to file:line; `shown`, when given, is how the file is named (a library file by its path below
  // site-packages rather than the absolute path of the profiling machine).
  function fileLink(file, line, shown) {
    const root = (data.sourceRoot || "").replace(/\/$/, "") + "/";
    const label = (shown || (file.startsWith(root) ? file.slice(root.length) : file)) + ":" + line;
    if (!data.sourceRoot) return el("span", { text: label });
    // Display paths are as the user gave them: absolute ones stand alone, relative ones are under sourceRoot.
    const absolute = file.startsWith("/") ? file : data.sourceRoot.replace(/\/$/, "") + "/" + file;
    const path = absolute.split("/").map(encodeURIComponent).join("/");
    return el("a", { href: "file://" + (path.startsWith("/") ? "" : "/") + path, title: "open " + label,
      "data-file": file, "data-line": line, text: label });
  }

  // ---- header ----
  document.getElementById("app-name").textContent = "— " + (data.app || "") + (data.handler ? " (" + data.handler + ")" : "");
  const s = analysis.summary;
  const summary = document.getElementById("summary");
  const facts = [
    ["init (median)", fmtMs(s.initMs.median)], ["init (p90)", fmtMs(s.initMs.p90)],
    ["cold starts", fmtCount(s.coldStarts)], ["invocations", fmtCount(s.invocations)],
    ["flagged imports", fmtMs(s.attributableMs)], ["estimated saving", fmtMs(s.savingMs) + " per cold start"
      // what a user waits for: init saved, first invocation added by the deferred imports the cold starts use
      + (s.estimate && s.estimate.firstInvocationMs > 0
        ? " (init −" + fmtMs(s.estimate.initMs) + ", first invocation +" + fmtMs(s.estimate.firstInvocationMs) + ")" : "")]];
  for (const [label, value] of facts) summary.append(el("span", {}, label + ": ", el("b", { text: value })));
  const notes = document.getElementById("notes");
  for (const note of s.notes) notes.append(el("li", { text: note }));

  // The median the engine uses (linear interpolation between the two middle values) of a sorted series.
  function median(sorted) {
    if (!sorted.length) return null;
    const rank = (sorted.length - 1) / 2, below = Math.floor(rank), above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }
  // "146 → 14 ms (−90 %)": both values in one unit, the change relative to before.
  function change(label, beforeMs, afterMs) {
    const seconds = Math.max(beforeMs, afterMs) >= 1000;
    const value = (ms) => seconds ? (ms / 1000).toFixed(2) : ms >= 10 ? ms.toFixed(0) : ms.toFixed(1);
    const percent = beforeMs > 0 ? Math.round(100 * (afterMs - beforeMs) / beforeMs) : 0;
    const sign = percent < 0 ? "\u2212" : percent > 0 ? "+" : "";
    return el("span", { class: percent < 0 ? "better" : percent > 0 ? "worse" : null, "data-measure": label },
      label + " " + value(beforeMs) + " \u2192 " + value(afterMs) + (seconds ? " s" : " ms") + " (" + sign + Math.abs(percent) + " %)");
  }
  if (data.before) {
    const compare = document.getElementById("compare");
    const parts = [["init", "initMs"], ["end to end", "endToEndMs"]]
      .filter(([, key]) => data.before[key].length && data.latency[key].length)
      .map(([label, key]) => change(label, median(data.before[key]), median(data.latency[key])));
    compare.title = "medians: before the fix (--compare, " + data.before.initMs.length + " cold starts) \u2192 these profiles (" +
      data.latency.initMs.length + " cold starts)";
    compare.append(...parts);
    compare.hidden = parts.length === 0;
  }

  // ---- tabs ----
  const rendered = new Set();
  const renderers = { imports: renderImports, waterfall: renderIcicle, calltree: renderCallTree,
    packages: renderPackages, runtime: renderRuntime, latency: renderLatency };
  function show(tab) {
    for (const button of document.querySelectorAll("#tabs button")) button.classList.toggle("active", button.dataset.tab === tab);
    for (const section of document.querySelectorAll("main .tab")) section.classList.toggle("active", section.id === tab);
    if (!rendered.has(tab)) { rendered.add(tab); renderers[tab](); }
  }
  for (const button of document.querySelectorAll("#tabs button")) button.addEventListener("click", () => show(button.dataset.tab));

  // ---- sortable, filterable tables ----
  // columns: {label, value(row) -> sortable value, cell(row) -> node or text, num: bool}. options: sortBy (a
  // column label: the table opens sorted by it, numbers largest first), keep(row) (rows it rejects are not
  // drawn; asked on every redraw). Returns a function that redraws the rows matching a filter text (matched
  // against filterText(row)).
  // details(row), when given, draws the content of a full-width row under each row whose `open` is true; a
  // button.expand in a row's cells flips it.
  function table(tableNode, columns, rows, filterText, options) {
    const { sortBy, keep, details } = options || {};
    let sortColumn = -1, ascending = true, needle = "";
    const thead = el("thead"), tbody = el("tbody");
    const headerRow = el("tr");
    function sortOn(index, th) {
      ascending = sortColumn === index ? !ascending : !columns[index].num;
      sortColumn = index;
      for (const other of headerRow.children) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    }
    columns.forEach((column, index) => {
      const th = el("th", { class: column.num ? "num" : null, text: column.label, title: column.title || null });
      th.addEventListener("click", () => { sortOn(index, th); draw(); });
      headerRow.append(th);
      if (column.label === sortBy) sortOn(index, th);
    });
    thead.append(headerRow);
    tableNode.replaceChildren(thead, tbody);
    const rowOf = new WeakMap();
    tbody.addEventListener("click", (event) => {
      const button = event.target.closest("button.expand");
      const row = button && rowOf.get(button.closest("tr"));
      if (!row) return;
      row.open = !row.open;
      draw();
    });
    function draw() {
      let shown = needle ? rows.filter((row) => filterText(row).toLowerCase().includes(needle)) : rows.slice();
      if (keep) shown = shown.filter(keep);
      if (sortColumn >= 0) {
        const value = columns[sortColumn].value;
        shown.sort((a, b) => {
          const x = value(a), y = value(b);
          const order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
      }
      tbody.replaceChildren(...shown.flatMap((row) => {
        const tr = el("tr", { class: row.finding ? "sev-" + row.finding.severity.toUpperCase() : null });
        rowOf.set(tr, row);
        for (const column of columns) {
          const content = column.cell(row);
          tr.append(el("td", { class: column.num ? "num" : null }, content instanceof Node ? content : String(content)));
        }
        if (!(details && row.open)) return [tr];
        return [tr, el("tr", { class: "details" }, el("td", { colspan: columns.length }, details(row)))];
      }));
    }
    draw();
    return (text) => { needle = (text || "").trim().toLowerCase(); draw(); };
  }

  function usageText(usage) {
    if (!usage.known) return "unknown";
    return usage.coldStartsUsed + " of " + usage.coldStarts + " cold starts";
  }
  function usageFraction(used, of, known) { return known ? used / Math.max(1, of) : 2; }
  function patternCell(finding) {
    return finding ? el("span", { title: finding.message }, el("span", { class: "code", text: finding.code }), " " + finding.pattern)
      : el("span", { class: "muted", text: "—" });
  }
  const PATTERN_TITLE = "CS101 never used, CS102 rarely used, CS103 feature redundancy, CS104 library choice, CS105 typing only, CS106 unused part of a used library, CS107 modules compiled from source, CS110 usage unknown";

  // Findings first, in the engine's ranking; then the other statements by cost.
  const findingAt = new Map(analysis.findings.map((f, i) => [f.file + ":" + f.line, { finding: f, rank: i }]));
  const statementRows = analysis.statements.map((st, index) => {
    const hit = findingAt.get(st.file + ":" + st.line);
    return { st, index, finding: hit ? hit.finding : null, rank: hit ? hit.rank : analysis.findings.length };
  });

  // Bytecode, when the profiles record it (agents that write modules[].bytecode): per module, compileMs is its
  // median time compiling source to bytecode over the cold starts that imported it (0 where a valid cached
  // .pyc was read), compiledIn the cold starts that compiled it, compileCause why there was no valid cache
  // ("none", "other-version", "stale"). Without it the compile column is left out.
  const hasCompile = data.modules.some((m) => m.compileMs !== undefined);
  const compiledByStatement = new Map();
  for (const m of data.modules) {
    if (m.statement === undefined || !(m.compileMs > 0)) continue;
    if (!compiledByStatement.has(m.statement)) compiledByStatement.set(m.statement, []);
    compiledByStatement.get(m.statement).push(m);
  }
  const statementCompileMs = (index) => (compiledByStatement.get(index) || []).reduce((sum, m) => sum + m.compileMs, 0);
  const CAUSES = { none: "no cached bytecode", "other-version": "bytecode only for another Python version", stale: "stale bytecode" };
  function compileTitle(modules) {
    return modules.length ? "compiled from source: " + modules.map((m) => m.name + " " + fmtMs(m.compileMs) +
      (m.compileCause ? " (" + (CAUSES[m.compileCause] || m.compileCause) + ")" : "")).join(", ") : "read from cached bytecode";
  }

  // ---- below the line: what each statement loaded, the heaviest sub-trees whose code never ran first ----
  // data.importTrees.statements[i] is statement i's import tree (parents before children, children heaviest
  // first, nothing below a sub-tree whose code never ran); data.importTrees.files the library files its
  // importedAt lines name. A statement's unusedParts are the engine's pick of the never-ran sub-trees (below
  // code that ran, outside the standard library; at most five), heaviest first, each with its chain from the
  // library's own line that imports it.
  const importTrees = data.importTrees.statements;
  const treeFiles = data.importTrees.files;
  const hasUnusedParts = analysis.statements.some((st) => st.unusedParts.length > 0);

  // Whether code of a sub-tree ran, in the evidence's words: in handler calls by the exact usage signal or by
  // execution samples; at init, called from code outside the sub-tree. ran: true, false, or null (cannot tell).
  function runState(node, usage) {
    if (!usage.known) return { ran: null, text: "unknown (no usage evidence)" };
    const how = usage.exact ? "exact signal" : "sampled";
    if (!node.ran) {
      return node.observable ? { ran: false, text: "never, in " + node.loadedIn + " cold starts (" + how + ")" }
        : { ran: null, text: "not seen (compiled code only)" };
    }
    const parts = [];
    if (node.ranInCalls) parts.push("in calls " + node.ranInCalls + "/" + node.loadedIn + " (" + how + ")");
    if (node.ranAtInit) parts.push("at init " + node.ranAtInit + "/" + node.loadedIn);
    return { ran: true, text: parts.join(", ") };
  }
  // A module name that a narrow column breaks only after a dot.
  function moduleCode(name) {
    return el("code", { class: "module" }, ...name.split(/(?<=\.)/).flatMap((part, i) => i ? [el("wbr"), part] : [part]));
  }
  // "heartpy/heartpy.py:24 → heartpy.visualizeutils → matplotlib.pyplot", its library line a link.
  function chainNode(part) {
    const line = part.libraryLine;
    const location = line ? line.display + ":" + line.line : null;
    if (!location || !part.chain.startsWith(location)) return el("span", { class: "chain", text: part.chain });
    return el("span", { class: "chain" }, fileLink(line.file, line.line, line.display), part.chain.slice(location.length));
  }
  function heaviestUnusedCell(row) {
    const parts = row.st.unusedParts;
    if (!parts.length) return "";
    return el("div", {}, moduleCode(parts[0].module), " " + fmtMs(parts[0].costMs),
      el("span", { class: "where" }, chainNode(parts[0])),
      parts.length > 1 ? el("span", { class: "where muted", text: "+" + (parts.length - 1) + " more below the line" }) : null);
  }
  function bringsInCell(part) {
    const libraries = part.bringsIn.length ? part.bringsIn.join(", ")
      : el("span", { class: "muted", title: "a part of the library's own package: named here, no finding", text: "— (its own package)" });
    const lighter = part.knowledge ? el("span", { class: "where", title: part.knowledge.advice }, "lighter: " + part.knowledge.what) : null;
    return el("div", {}, libraries, lighter);
  }

  // The rows under a statement: its never-ran sub-trees, heaviest first, then its import tree with what ran,
  // opened down to the heaviest of those sub-trees.
  function belowTheLine(row) {
    const nodes = importTrees[row.index];
    const box = el("div", { class: "below" });
    const parts = row.st.unusedParts;
    if (parts.length) {
      const byModule = new Map(nodes.map((n) => [n.module, n]));
      const ran = (part) => byModule.has(part.module) ? runState(byModule.get(part.module), row.st.usage).text : "never";
      const partsTable = el("table", { class: "unused-parts sortable" });
      table(partsTable, [
        { label: "Never ran", value: (p) => p.module, cell: (p) => moduleCode(p.module) },
        { label: "Cost", num: true, title: "median import time per cold start of the whole sub-tree (cumulative)", value: (p) => p.costMs, cell: (p) => fmtMs(p.costMs) },
        { label: "Modules", num: true, value: (p) => p.moduleCount, cell: (p) => fmtCount(p.moduleCount) },
        { label: "Ran", value: ran, cell: ran },
        { label: "Chain from the library's line", value: (p) => p.chain, cell: chainNode },
        { label: "Brings in", value: (p) => p.bringsIn.join(" "), cell: bringsInCell },
      ], parts, null, { sortBy: "Cost" });
      box.append(el("h3", { text: "Sub-trees that never ran, heaviest first" }), partsTable);
    }
    if (nodes.length) box.append(el("h3", { text: "Import tree: what each sub-tree costs and whether its code ran" }), importTreeView(row, nodes));
    return box;
  }
  function importTreeView(row, nodes) {
    const children = nodes.map(() => []), roots = [];
    nodes.forEach((n, i) => (n.parent < 0 ? roots : children[n.parent]).push(i));
    const open = new Set(roots);
    const heaviest = row.st.unusedParts.length ? nodes.findIndex((n) => n.module === row.st.unusedParts[0].module) : -1;
    if (heaviest >= 0) for (let a = nodes[heaviest].parent; a >= 0; a = nodes[a].parent) open.add(a);
    function treeNode(i) {
      const n = nodes[i], state = runState(n, row.st.usage), at = n.importedAt ? treeFiles[n.importedAt[0]] : null;
      const toggle = el("span", { class: "toggle", text: children[i].length ? "▸" : " " });
      const line = el("div", { class: "node" + (state.ran === false ? " unused" : ""), "data-module": n.module }, toggle,
        el("span", { class: "count", title: "median import time per cold start of the sub-tree (cumulative)", text: fmtMs(n.costMs) }),
        el("span", { text: n.module }),
        el("span", { class: "mod", text: fmtCount(n.modules) + (n.modules === 1 ? " module" : " modules") }),
        el("span", { class: "state", text: "ran: " + state.text }),
        at ? el("span", { class: "at" }, "imported at ", fileLink(at.file, n.importedAt[1], at.display)) : null);
      const box = el("div", {}, line);
      if (children[i].length) expandable(box, toggle, children[i], treeNode, open.has(i));
      return box;
    }
    const tree = el("div", { class: "tree" });
    appendPaged(tree, roots, 0, treeNode);
    return tree;
  }

  // The key columns come first (what, the pattern, the saving, the cost), so they stay in view in a narrow
  // editor pane; the statement's file:line sits under its text.
  function statementTable() {
    const rows = statementRows.slice().sort((a, b) => a.rank - b.rank || b.st.costMs.median - a.st.costMs.median);
    const heaviest = (row) => row.st.heaviestModules[0] || null;
    const columns = [
      { label: "#", num: true, value: (r) => r.rank, cell: (r) => r.finding ? String(r.rank + 1) : "" },
      { label: "Statement", title: "sorts by file and line", value: (r) => r.st.file + ":" + String(r.st.line).padStart(6, "0"),
        cell: (r) => el("div", {}, el("code", { text: r.st.statement.split("\n")[0] }), el("span", { class: "where" }, fileLink(r.st.file, r.st.line),
          importTrees[r.index].length ? el("button", { class: "expand", "aria-expanded": String(Boolean(r.open)),
            title: "what this line loads: its sub-trees that never ran, heaviest first, and its import tree with what ran" }, (r.open ? "▾" : "▸") + " below the line") : null)) },
      { label: "Pattern", value: (r) => r.finding ? r.finding.code : "~", title: PATTERN_TITLE, cell: (r) => patternCell(r.finding) },
      { label: "Saving", num: true, title: "the score: estimated ms saved per cold start if fixed (init saved minus what moves into the first invocation)", value: (r) => r.finding ? r.finding.savingMs : -1, cell: (r) => r.finding ? fmtMs(r.finding.savingMs) : "" },
      { label: "Cost", num: true, title: "median ms per cold start (p90 in the tooltip)", value: (r) => r.st.costMs.median,
        cell: (r) => el("span", { title: "p90 " + fmtMs(r.st.costMs.p90) }, fmtMs(r.st.costMs.median)) },
      hasCompile ? { label: "Compile", num: true, title: "of the cost: median ms compiling the modules it loaded from source to bytecode",
        value: (r) => statementCompileMs(r.index), cell: (r) => el("span", { title: compileTitle(compiledByStatement.get(r.index) || []) }, fmtMs(statementCompileMs(r.index))) } : null,
      hasUnusedParts ? { label: "Never ran below", title: "the heaviest sub-tree of what it loaded whose code never ran (median cumulative ms) and the chain from the library's line that imports it; ▸ below the line lists them all",
        value: (r) => r.st.unusedParts.length ? r.st.unusedParts[0].costMs : -1, cell: heaviestUnusedCell } : null,
      // The execution samples under the usage they evidence: one column less keeps the table within narrow panes.
      { label: "Usage", title: "cold starts that ran its code in a handler call; below, the execution samples in it", value: (r) => usageFraction(r.st.usage.coldStartsUsed, r.st.usage.coldStarts, r.st.usage.known),
        cell: (r) => el("div", {}, usageText(r.st.usage), el("span", { class: "where muted", text: fmtCount(r.st.usage.samples) + " samples" })) },
      { label: "Heaviest module (self / cumulative)", value: (r) => heaviest(r) ? heaviest(r).selfMs : -1,
        cell: (r) => heaviest(r) ? heaviest(r).name + " (" + fmtMs(heaviest(r).selfMs) + " / " + fmtMs(heaviest(r).cumulativeMs) + ")" : "" },
      { label: "Memory", num: true, value: (r) => r.st.rssDeltaBytes === undefined ? -1 : r.st.rssDeltaBytes, cell: (r) => r.st.rssDeltaBytes === undefined ? "–" : fmtBytes(r.st.rssDeltaBytes) },
    ].filter(Boolean);
    return { columns, rows, details: belowTheLine,
      negligible: (r) => !r.finding && r.st.costMs.median < ZERO_MS,
      filterText: (r) => [r.st.file, r.st.statement, r.finding ? r.finding.code + " " + r.finding.pattern + " " + r.finding.message : "",
        r.st.heaviestModules.map((m) => m.name).join(" "), r.st.unusedParts.map((p) => p.module + " " + p.bringsIn.join(" ")).join(" ")].join(" ") };
  }

  // One row per module. Its statement is the one that loaded it first; "per cold start" is its median self
  // time weighted by the share of cold starts that imported it during init; its share of the statement's
  // saving splits the statement's estimate by self time over the modules that statement loaded.
  function moduleTable() {
    const coldStarts = Math.max(1, s.coldStarts);
    const selfByStatement = new Map();
    for (const m of data.modules) {
      if (m.statement !== undefined) selfByStatement.set(m.statement, (selfByStatement.get(m.statement) || 0) + m.selfMs);
    }
    const rows = data.modules.map((m) => {
      const statementRow = m.statement === undefined ? null : statementRows[m.statement];
      const finding = statementRow ? statementRow.finding : null;
      const statementSelf = statementRow ? selfByStatement.get(m.statement) : 0;
      return { m, st: statementRow ? statementRow.st : null, finding,
        perColdStartMs: m.selfMs * m.importedAtInit / coldStarts,
        savingMs: finding && statementSelf > 0 ? finding.savingMs * m.selfMs / statementSelf : null };
    });
    rows.sort((a, b) => b.perColdStartMs - a.perColdStartMs || a.m.name.localeCompare(b.m.name));
    rows.forEach((r, i) => { r.rank = i; });
    const columns = [
      { label: "#", num: true, value: (r) => r.rank, cell: (r) => String(r.rank + 1) },
      { label: "Module", value: (r) => r.m.name, cell: (r) => el("code", { text: r.m.name, title: r.m.file || "" }) },
      { label: "Pattern", value: (r) => r.finding ? r.finding.code : "~", title: PATTERN_TITLE, cell: (r) => patternCell(r.finding) },
      { label: "Saving", num: true, title: "the score: its share of its statement's estimated saving (by self time)", value: (r) => r.savingMs === null ? -1 : r.savingMs,
        cell: (r) => r.savingMs === null ? "" : fmtMs(r.savingMs) },
      { label: "Per cold start", num: true, title: "median self ms × share of cold starts that imported it during init", value: (r) => r.perColdStartMs, cell: (r) => fmtMs(r.perColdStartMs) },
      hasCompile ? { label: "Compile", num: true, title: "of its self time: median ms compiling its source to bytecode", value: (r) => r.m.compileMs === undefined ? -1 : r.m.compileMs,
        cell: (r) => r.m.compileMs === undefined ? "–" : el("span", { title: compileTitle(r.m.compileMs > 0 ? [r.m] : []) +
          (r.m.compiledIn ? "; in " + r.m.compiledIn + " of " + r.m.imported + " cold starts" : "") }, fmtMs(r.m.compileMs)) } : null,
      { label: "Loaded by", title: "the import statement that loaded it first", value: (r) => r.st ? r.st.file + ":" + String(r.st.line).padStart(6, "0") : "~",
        cell: (r) => r.st ? fileLink(r.st.file, r.st.line) : el("span", { class: "muted", text: r.m.importedAtInit ? "—" : "at run time" }) },
      { label: "Usage", value: (r) => usageFraction(r.m.usedIn, r.m.withEvidence, r.m.usageKnown),
        cell: (r) => r.m.usageKnown ? r.m.usedIn + " of " + r.m.withEvidence + " cold starts" : "unknown" },
      { label: "Samples", num: true, value: (r) => r.m.samples, cell: (r) => fmtCount(r.m.samples) },
      { label: "Self", num: true, title: "median self import time over the cold starts that imported it", value: (r) => r.m.selfMs, cell: (r) => fmtMs(r.m.selfMs) },
      { label: "Cumulative", num: true, title: "median import time with its nested imports", value: (r) => r.m.cumulativeMs, cell: (r) => fmtMs(r.m.cumulativeMs) },
      { label: "Memory", num: true, value: (r) => r.m.rssBytes === undefined ? -1 : r.m.rssBytes, cell: (r) => fmtBytes(r.m.rssBytes) },
    ].filter(Boolean);
    return { columns, rows,
      negligible: (r) => !(r.savingMs >= ZERO_MS) && r.perColdStartMs < ZERO_MS,
      filterText: (r) => [r.m.name, r.st ? r.st.file + " " + r.st.statement : "", r.finding ? r.finding.code + " " + r.finding.pattern : ""].join(" ") };
  }

  function renderImports() {
    const tableNode = document.getElementById("imports-table");
    const filter = document.getElementById("imports-filter");
    const showZero = document.getElementById("show-zero");
    const views = { statements: statementTable, modules: moduleTable };
    let redraw = null;
    function showView() {
      const view = document.querySelector("input[name=rank-view]:checked").value;
      tableNode.dataset.view = view;
      const { columns, rows, negligible, filterText, details } = views[view]();
      document.getElementById("zero-count").textContent = fmtCount(rows.filter(negligible).length);
      redraw = table(tableNode, columns, rows, filterText, { keep: (r) => showZero.checked || !negligible(r), details });
      redraw(filter.value);
    }
    for (const radio of document.querySelectorAll("input[name=rank-view]")) radio.addEventListener("change", showView);
    filter.addEventListener("input", () => redraw(filter.value));
    showZero.addEventListener("change", () => redraw(filter.value));
    showView();
  }

  // ---- module import tree (shared by the icicle and the package tree) ----
  const modulesByName = new Map(data.modules.map((m) => [m.name, m]));
  const importChildren = new Map();
  for (const module of data.modules) {
    const parent = module.parent && modulesByName.has(module.parent) ? module.parent : "";
    if (!importChildren.has(parent)) importChildren.set(parent, []);
    importChildren.get(parent).push(module);
  }
  for (const list of importChildren.values()) list.sort((a, b) => b.cumulativeMs - a.cumulativeMs || a.name.localeCompare(b.name));

  function colour(name) {
    let hash = 0;
    const top = name.split(".")[0];
    for (let i = 0; i < top.length; i++) hash = (hash * 31 + top.charCodeAt(i)) | 0;
    return "hsl(" + (Math.abs(hash) % 360) + ", 60%, 78%)";
  }

  // Only what init imported; a module imported during a call in some cold starts is not part of init's time.
  const initChildren = (name) => (importChildren.get(name) || []).filter((m) => m.importedAtInit > 0);
  function renderIcicle() {
    const host = document.getElementById("icicle");
    const roots = initChildren("");
    const total = roots.reduce((sum, m) => sum + m.cumulativeMs, 0);
    if (total <= 0) { host.append(el("p", { class: "muted", text: "No import times in these profiles." })); return; }
    const width = Math.max(host.clientWidth || 1000, 600), rowHeight = 21, minWidth = 2;
    let maxDepth = 0;
    const bars = [];
    function place(module, x, w, depth) {
      if (w < minWidth || depth > 40) return;
      maxDepth = Math.max(maxDepth, depth);
      // The module's compile time, a part of its own (self) time, striped at the start of its bar.
      const compileW = module.compileMs > 0 && module.cumulativeMs > 0 ? w * Math.min(1, module.compileMs / module.cumulativeMs) : 0;
      bars.push(el("div", { class: "ice", "data-module": module.name,
        style: "left:" + x.toFixed(1) + "px;top:" + (depth * rowHeight) + "px;width:" + w.toFixed(1) + "px;background:" + colour(module.name),
        title: module.name + "\ncumulative " + fmtMs(module.cumulativeMs) + ", self " + fmtMs(module.selfMs) +
          (module.compileMs > 0 ? ", compiling " + fmtMs(module.compileMs) : "") +
          (module.rssBytes !== undefined ? ", memory " + fmtBytes(module.rssBytes) : "") },
        compileW >= 1 ? el("span", { class: "compile", style: "width:" + compileW.toFixed(1) + "px" }) : null,
        el("span", { class: "label", text: w > 40 ? module.name + " " + fmtMs(module.cumulativeMs) : "" })));
      // Medians over different cold starts need not add up: children never spill past their parent's bar.
      const children = initChildren(module.name);
      const span = Math.max(module.cumulativeMs, children.reduce((sum, m) => sum + m.cumulativeMs, 0));
      let childX = x;
      for (const child of children) {
        const childW = span > 0 ? w * child.cumulativeMs / span : 0;
        place(child, childX, childW, depth + 1);
        childX += childW;
      }
    }
    let x = 0;
    for (const root of roots) {
      const w = width * root.cumulativeMs / total;
      place(root, x, w, 0);
      x += w;
    }
    host.style.height = ((maxDepth + 1) * rowHeight + 4) + "px";
    host.append(...bars);
    document.getElementById("compile-legend").hidden = !data.modules.some((m) => m.compileMs > 0);
  }

  // ---- calling-context tree, expanded on demand ----
  const cct = data.callTree;
  const cctChildren = new Array(cct.nodes.length);
  for (let n = cct.nodes.length - 1; n >= 1; n--) {
    const parent = cct.nodes[n][0];
    (cctChildren[parent] || (cctChildren[parent] = [])).push(n);
  }
  // Frames of Python's import system: between an import statement and the module body it runs sit five or
  // more of them, the same on every path. Folded, each import statement leads straight to the imported body.
  const MACHINERY_MODULE = /^(importlib|importlib\._bootstrap|importlib\._bootstrap_external|zipimport)$/;
  const MACHINERY_FILE = /^<frozen (importlib\._bootstrap|importlib\._bootstrap_external|zipimport)>$/;
  const machineryFrame = cct.frames.map((f) => MACHINERY_MODULE.test(f[3] || "") || MACHINERY_FILE.test(f[0] || ""));
  const isMachinery = (n) => cct.nodes[n][1] >= 0 && machineryFrame[cct.nodes[n][1]];
  // Samples per node whose stack holds code of the filtered module: a node in the module counts everything
  // below it; any other node counts what its children count. Children come after parents in the array.
  let moduleCounts = null;
  function computeModuleCounts(module, phase) {
    const counts = new Float64Array(cct.nodes.length);
    for (let n = cct.nodes.length - 1; n >= 1; n--) {
      const frame = cct.frames[cct.nodes[n][1]];
      if (frame && frame[3] && (frame[3] === module || frame[3].startsWith(module + "."))) {
        counts[n] = phaseCount(n, phase);
      }
      counts[cct.nodes[n][0]] += counts[n];
    }
    return counts;
  }
  function phaseCount(n, phase) {
    const [, , imp, exe] = cct.nodes[n];
    return phase === "import" ? imp : phase === "execution" ? exe : imp + exe;
  }
  function currentPhase() { return document.querySelector("input[name=cct-phase]:checked").value; }
  function nodeCount(n, phase) { return moduleCounts ? moduleCounts[n] : phaseCount(n, phase); }
  function ownCount(n, phase) {
    let own = nodeCount(n, phase);
    for (const c of cctChildren[n] || []) own -= nodeCount(c, phase);
    return own;
  }

  // The rows under node n, heaviest first: {node, count, folded} for each child; when folding, a machinery
  // child gives way to its own children (folded counts the frames skipped), and the samples that ended in
  // machinery frames are one {machinery, count} row.
  function visibleChildren(n, view) {
    const rows = [];
    let machinery = 0;
    const pending = (cctChildren[n] || []).map((c) => [c, 0]);
    while (pending.length) {
      const [c, folded] = pending.pop();
      const count = nodeCount(c, view.phase);
      if (count <= 0) continue;
      if (view.fold && isMachinery(c)) {
        machinery += ownCount(c, view.phase);
        for (const g of cctChildren[c] || []) pending.push([g, folded + 1]);
      } else {
        rows.push({ node: c, count, folded });
      }
    }
    if (machinery > 0) rows.push({ machinery: true, count: machinery });
    return rows.sort((a, b) => b.count - a.count || (a.node ?? -1) - (b.node ?? -1));
  }
  // The hot path: from the root, the heaviest child while it holds HOT_PATH_SHARE of all samples.
  function hotPath(view) {
    const path = new Set([0]);
    const least = HOT_PATH_SHARE * nodeCount(0, view.phase);
    let n = 0;
    for (let depth = 0; depth < HOT_PATH_DEPTH; depth++) {
      const next = visibleChildren(n, view).find((row) => !row.machinery);
      if (!next || next.count < least) break;
      path.add(next.node);
      n = next.node;
    }
    return path;
  }

  function cctNode(row, view) {
    const box = el("div");
    if (row.machinery) {
      box.append(el("div", { class: "node machinery", title: "samples that ended in Python's import system (finding, reading, unmarshalling or compiling modules)" },
        el("span", { class: "toggle", text: " " }), el("span", { class: "count", text: fmtCount(row.count) }), "import machinery (importlib)"));
      return box;
    }
    const n = row.node;
    const frame = cct.frames[cct.nodes[n][1]];
    const kids = cctChildren[n] && cctChildren[n].length ? visibleChildren(n, view) : [];
    const onPath = view.open.has(n);
    const node = el("div", { class: "node" + (onPath ? " hot" : ""), "data-node": n });
    const toggle = el("span", { class: "toggle", text: kids.length ? "▸" : " " });
    const label = frame ? frame[1] + " (" + (frame[0] || "?") + ":" + frame[2] + ")" : "root";
    node.append(toggle, el("span", { class: "count", text: fmtCount(row.count) }));
    if (row.folded) node.append(el("span", { class: "folded", title: row.folded + " frames of the import system folded", text: "⋯" }));
    node.append(el("span", { text: label }));
    if (frame && frame[3]) node.append(el("span", { class: "mod", text: frame[3] }));
    box.append(node);
    if (kids.length) expandable(box, toggle, kids, (kid) => cctNode(kid, view), onPath);
    return box;
  }
  // The toggle opens and closes box's children, a page at a time (makeNode draws one); open at once if asked.
  function expandable(box, toggle, kids, makeNode, openNow) {
    let childBox = null;
    const expand = () => {
      toggle.textContent = "▾";
      childBox = el("div", { class: "children" });
      appendPaged(childBox, kids, 0, makeNode);
      box.append(childBox);
    };
    toggle.addEventListener("click", () => {
      if (childBox) { childBox.remove(); childBox = null; toggle.textContent = "▸"; } else expand();
    });
    if (openNow) expand();
  }
  // Appends makeNode(item) for a page of items, then a "… N more" line that appends the next page: a node
  // with thousands of children stays quick to open.
  function appendPaged(container, items, start, makeNode) {
    const end = Math.min(items.length, start + CHILDREN_PAGE);
    for (let i = start; i < end; i++) container.append(makeNode(items[i]));
    if (end < items.length) {
      const more = el("div", { class: "node more", text: "… " + fmtCount(items.length - end) + " more" });
      more.addEventListener("click", () => { more.remove(); appendPaged(container, items, end, makeNode); });
      container.append(more);
    }
  }
  function renderCallTree() {
    const host = document.getElementById("cct");
    const view = { phase: currentPhase(), fold: document.getElementById("cct-fold").checked };
    const moduleFilter = document.getElementById("cct-module").value.trim();
    moduleCounts = moduleFilter ? computeModuleCounts(moduleFilter, view.phase) : null;
    host.replaceChildren();
    if (cct.nodes.length <= 1) { host.append(el("p", { class: "muted", text: "These profiles hold no samples." })); return; }
    view.open = hotPath(view);
    const tree = el("div", { class: "tree" });
    tree.append(cctNode({ node: 0, count: nodeCount(0, view.phase), folded: 0 }, view));
    host.append(tree);
  }
  for (const radio of document.querySelectorAll("input[name=cct-phase]")) radio.addEventListener("change", () => { if (rendered.has("calltree")) renderCallTree(); });
  for (const id of ["cct-module", "cct-fold"]) document.getElementById(id).addEventListener("change", () => { if (rendered.has("calltree")) renderCallTree(); });

  // ---- module tree grouped by package prefix (sums computed by the report writer) ----
  function renderPackages() {
    const children = data.packages.map(() => []);
    const top = [];
    data.packages.forEach((p, i) => (p.parent < 0 ? top : children[p.parent]).push(i));
    const moduleInfo = new Map(data.modules.map((m) => [m.name, m]));
    function packageNode(i) {
      const p = data.packages[i], kids = children[i], m = p.module ? moduleInfo.get(p.name) : null;
      const toggle = el("span", { class: "toggle", text: kids.length ? "▸" : " " });
      const row = el("div", { class: "node", "data-package": p.name }, toggle,
        el("span", { class: "count", title: "summed self import time of the modules at or below it", text: fmtMs(p.selfMs) }),
        el("span", { text: p.name }),
        el("span", { class: "mod", text: fmtCount(p.samples) + " samples" + (m ? ", cumulative " + fmtMs(p.cumulativeMs) : "") +
          (m && m.usageKnown ? ", used in " + m.usedIn + " of " + m.withEvidence + " cold starts" : "") }));
      const box = el("div", {}, row);
      if (kids.length) expandable(box, toggle, kids, packageNode, false);
      return box;
    }
    const tree = el("div", { class: "tree" });
    appendPaged(tree, top, 0, packageNode);
    document.getElementById("package-tree").append(tree);
  }

  // ---- imports made while a handler call ran ----
  function renderRuntime() {
    const rows = data.executionImports;
    const tableNode = document.getElementById("runtime-table");
    if (!rows.length) { tableNode.replaceWith(el("p", { class: "muted", text: "No module was imported during a handler call." })); return; }
    const where = (r) => r.triggerFile ? r.triggerFile + ":" + String(r.triggerLine).padStart(6, "0") : r.trigger || "";
    table(tableNode, [
      { label: "Module", value: (r) => r.name, cell: (r) => r.name },
      { label: "Cost", num: true, title: "median import time with its nested imports, over the cold starts that made it", value: (r) => r.cumulativeMs, cell: (r) => fmtMs(r.cumulativeMs) },
      { label: "Cold starts", num: true, value: (r) => r.coldStarts, cell: (r) => String(r.coldStarts) },
      { label: "Statement", value: where, cell: (r) => r.triggerFile ? fileLink(r.triggerFile, r.triggerLine) : r.trigger || "—" },
      { label: "Imported by", value: (r) => r.parent || "", cell: (r) => r.parent || "—" },
    ], rows, null, { sortBy: "Cost" });
  }

  // ---- CDF plots: init, execution, end to end; before vs after on the same axes ----
  function renderLatency() {
    const host = document.getElementById("cdfs");
    const series = [["Init (import of the handler module)", "initMs"], ["Execution (each invocation)", "executionMs"],
      ["End to end (init + cold invocation)", "endToEndMs"]];
    if (data.before) {
      host.append(el("div", { class: "legend" }, el("span", { class: "after", text: "━ after (" + data.latency.profiles + " profiles)" }),
        el("span", { class: "before", text: "╍ before (" + data.before.profiles + " profiles)" })));
    }
    for (const [title, key] of series) {
      const lines = [{ values: data.latency[key], name: "after" }];
      if (data.before) lines.push({ values: data.before[key], name: "before" });
      host.append(cdfPlot(title, lines));
    }
  }
  // One time unit per plot, so tick labels and the axis label agree: seconds once the range reaches 1 s.
  function axisUnit(maxMs) { return maxMs >= 1000 ? { name: "s", perMs: 1 / 1000 } : { name: "ms", perMs: 1 }; }
  function largest(values) {
    // A loop, not Math.max(...values): spreading hundreds of thousands of arguments overflows the stack.
    let max = -Infinity;
    for (const v of values) if (v > max) max = v;
    return max;
  }
  function cdfPlot(title, lines) {
    const W = 420, H = 260, L = 48, R = 12, T = 26, B = 36;
    const plot = svg("svg", { width: W, height: H, class: "cdf", role: "img", "aria-label": title });
    plot.append(svg("text", { x: L, y: 16, class: "title" }, title));
    const maxValue = largest(lines.map((l) => largest(l.values)));
    if (maxValue === -Infinity) { plot.append(svg("text", { x: L, y: H / 2 }, "no data")); return plot; }
    const max = maxValue * 1.05 || 1, min = 0;
    const unit = axisUnit(max);
    plot.setAttribute("data-unit", unit.name);
    const x = (v) => L + (W - L - R) * (v - min) / (max - min);
    const y = (p) => H - B - (H - T - B) * p;
    for (const p of [0, 0.5, 0.9, 1]) {
      plot.append(svg("text", { x: 4, y: y(p) + 4 }, p.toFixed(1)));
      plot.append(svg("line", { x1: L, y1: y(p), x2: W - R, y2: y(p), class: "grid-line" }));
    }
    plot.append(svg("line", { x1: L, y1: y(0), x2: W - R, y2: y(0), class: "axis-line" }));
    plot.append(svg("line", { x1: L, y1: y(0), x2: L, y2: y(1), class: "axis-line" }));
    // Decimals from the tick step, so that every label of an axis has the same precision.
    const step = (max - min) / 4 * unit.perMs, decimals = step >= 10 ? 0 : step >= 1 ? 1 : 2;
    for (let i = 0; i <= 4; i++) {
      const v = min + (max - min) * i / 4;
      plot.append(svg("text", { x: x(v) - 12, y: H - B + 16, class: "tick" }, i === 0 ? "0" : (v * unit.perMs).toFixed(decimals)));
    }
    plot.append(svg("text", { x: W / 2 - 20, y: H - 4, class: "axis" }, "time (" + unit.name + ")"));
    for (const line of lines) {
      if (!line.values.length) continue;
      const n = line.values.length;
      // One step per value up to CDF_STEPS values; beyond that one step per 1/CDF_STEPS of the samples (the
      // plot is a few hundred pixels wide), so a million invocations draw as fast as a thousand.
      const steps = Math.min(n, CDF_STEPS);
      const parts = ["M" + x(line.values[0]).toFixed(1) + "," + y(0).toFixed(1)];
      for (let k = 0; k < steps; k++) {
        const from = Math.floor(k * n / steps), to = Math.floor((k + 1) * n / steps);
        const px = x(line.values[from]).toFixed(1);
        parts.push("L" + px + "," + y(from / n).toFixed(1), "L" + px + "," + y(to / n).toFixed(1));
      }
      plot.append(svg("path", { d: parts.join(" "), fill: "none", "stroke-width": 2,
        "data-series": line.name, "data-steps": steps }));
    }
    return plot;
  }

  show("imports");
})();
