// Browser test of the HTML report: writes reports with the real jar, opens them from file:// in Debian's
// Chromium, and checks the ranked table (statement and module rows, key columns first, 0 ms rows behind a
// toggle, the page as wide as the window), the colours of the light, dark and high-contrast themes (the OS
// preference and VS Code's webview classes and variables), the call tree opened along the hot path with the
// import machinery folded, the import-phase toggle, the module filter, the header and CDF plots of a
// before/after comparison, run-time imports by cost, the compile-time column when the data has it, what lies
// below a CS106 line (heart_rate, fraud_scoring: never-ran sub-trees by cumulative cost, their chains from the
// library's line, what ran above them); then a synthetic 1M-sample report stays usable (paged children). Screenshots go to test-artifacts/report/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const repo = resolve(import.meta.dirname, "../..");
const jar = join(repo, "server/target/coldspy.jar");
const artifacts = join(repo, "test-artifacts/report");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const app = "rules_engine";
const work = mkdtempSync(join(tmpdir(), "coldspy-report-"));
let browser;
let page;
let reportPath;
let comparePath;

function expected(fixture = app) {
  return JSON.parse(readFileSync(join(repo, "fixtures/apps", fixture, "expected-findings.json"), "utf8"));
}

/**
 * The "after" profile of a comparison: the golden rules_engine profile as it would read once the CS102 fix
 * (lazy-load `from policyuniverse.policy import Policy` of rules/cloudtrail_public_resources.py into the
 * function that needs it) is applied, derived from the recorded numbers rather than invented ones. In each cold
 * start the subtree policyuniverse.policy imported at init leaves the init phase: its cumulative time comes off
 * initUs and off its ancestors' cumulative times; where the cold invocation used it (the PutBucketPolicy
 * event) the same modules are imported during that call instead (phase "execution", the time added to the
 * call's duration); elsewhere they are not imported at all. The sampled call tree is left as recorded: the
 * comparison is about the latency series.
 */
function lazyLoadedPolicyuniverse(golden) {
  const profile = structuredClone(golden);
  const root = "policyuniverse.policy";
  let moved = 0;
  for (const coldStart of profile.coldStarts) {
    const top = coldStart.modules.find((m) => m.name === root && m.phase === "init");
    assert.ok(top, `cold start ${coldStart.index} imports ${root} at init`);
    const subtree = new Set();
    for (const m of coldStart.modules) if (m === top || subtree.has(m.parent)) subtree.add(m.name);
    const byName = new Map(coldStart.modules.map((m) => [m.name, m]));
    for (let ancestor = byName.get(top.parent); ancestor; ancestor = byName.get(ancestor.parent)) {
      ancestor.cumulativeUs -= top.cumulativeUs;
    }
    coldStart.initUs -= top.cumulativeUs;
    const call = coldStart.invocations[0];
    if (call.modulesExecuted.includes(root)) {
      for (const m of coldStart.modules) if (subtree.has(m.name)) m.phase = "execution";
      call.durationUs += top.cumulativeUs;
      moved++;
    } else {
      coldStart.modules = coldStart.modules.filter((m) => !subtree.has(m.name));
      for (const name of subtree) delete coldStart.moduleUsage[name];
    }
  }
  assert.equal(moved, 1, "one cold start served the event that needs policyuniverse");
  return profile;
}

function launch() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Opens a report; fails on script errors and on any request that leaves file://. */
async function open(path, { width = 1400, colorScheme = "light" } = {}) {
  const opened = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
  const requests = [];
  opened.on("request", (request) => { if (!request.url().startsWith("file://")) requests.push(request.url()); });
  const errors = [];
  opened.on("pageerror", (error) => errors.push(String(error)));
  await opened.goto("file://" + path);
  await opened.waitForSelector("#imports-table tbody tr");
  return { opened, errors, requests };
}

/** The 0-based index of the column whose header starts with `label`. */
async function column(on, tableSelector, label) {
  const headers = await on.locator(`${tableSelector} th`).allInnerTexts();
  const index = headers.findIndex((h) => h.startsWith(label));
  assert.ok(index >= 0, `a ${label} column in ${headers.join(" | ")}`);
  return index;
}

/** The texts of one column's cells, row by row. */
async function columnTexts(on, tableSelector, label) {
  const index = await column(on, tableSelector, label);
  return on.locator(`${tableSelector} tbody tr`).evaluateAll((rows, i) => rows.map((row) => row.cells[i].innerText), index);
}

/** "12 ms", "1.52 s", "0.4 ms" as milliseconds. */
const parseMs = (text) => (text.trim().endsWith(" s") ? parseFloat(text) * 1000 : parseFloat(text));

const count = (text) => Number(text.replace(/,/g, ""));

/** The sample count on the call tree's root row. */
const rootCount = async (on = page) => count(await on.locator("#cct .node").first().locator(".count").innerText());

/**
 * The report page of `html` with its embedded data changed by `edit`, written next to the others; the data is
 * re-embedded the way the report writer embeds it.
 */
function withData(html, name, edit) {
  const marker = /(<script id="coldspy-data" type="application\/json">)([\s\S]*?)(<\/script>)/;
  const data = JSON.parse(marker.exec(html)[2]);
  edit(data);
  const path = join(work, name);
  writeFileSync(path, html.replace(marker, (_, start, _json, end) => start + JSON.stringify(data).replace(/<\//g, "<\\/") + end));
  return path;
}

before(async () => {
  assert.ok(existsSync(jar), `${jar} is missing: build it first (mvn -q package -DskipTests)`);
  mkdirSync(artifacts, { recursive: true });
  const golden = join(repo, "fixtures/profiles", `${app}.json`);
  const afterFix = join(work, `${app}-after.json`);
  writeFileSync(afterFix, JSON.stringify(lazyLoadedPolicyuniverse(JSON.parse(readFileSync(golden, "utf8")))));
  reportPath = join(work, "report.html");
  comparePath = join(work, "compare.html");
  // No PATH: the app is the working directory, as in the usage.
  const inApp = { stdio: "inherit", cwd: join(repo, "fixtures/apps", app) };
  execFileSync("java", ["-jar", jar, "report", "--profile", golden, "-o", reportPath], inApp);
  execFileSync("java", ["-jar", jar, "report", "--profile", afterFix, "--compare", golden, "-o", comparePath], inApp);
  browser = await launch();
  const { opened, errors, requests } = await open(reportPath);
  page = opened;
  assert.deepEqual(errors, [], "the page ran without script errors");
  assert.deepEqual(requests, [], "the page fetched nothing");
  assert.match(await page.locator("meta[http-equiv=Content-Security-Policy]").getAttribute("content"), /^default-src 'none';/,
    "the page may fetch nothing");
});

after(async () => {
  if (browser) await browser.close();
});

test("the ranked table's first row is the fixture's top expected finding", async () => {
  const row = page.locator("#imports-table tbody tr").first();
  const first = await row.locator("td").allInnerTexts();
  const wanted = expected().map((e) => `${e.file}:${e.line}`);
  assert.equal(first[0], "1");
  const where = await row.locator("td").nth(1).locator("a").innerText();
  assert.ok(wanted.includes(where), `first row ${where} is one of ${wanted.join(", ")}`);
  assert.ok(first[1].startsWith("from policyuniverse.policy import Policy"), `the statement first, then its place: ${first[1]}`);
  assert.match(first[2], /^CS10\d /);
  await page.screenshot({ path: join(artifacts, "imports.png"), fullPage: true });
});

test("key columns first, all in view in a 1000 px pane; the table fills the width without a horizontal scroll", async () => {
  for (const width of [1000, 1400]) {
    const { opened, errors } = await open(reportPath, { width });
    try {
      for (const [view, keys] of [["statements", ["#", "Statement", "Pattern", "Saving", "Cost"]],
        ["modules", ["#", "Module", "Pattern", "Saving", "Per cold start"]]]) {
        await opened.locator(`input[name=rank-view][value=${view}]`).check();
        const layout = await opened.evaluate(() => ({
          viewport: document.documentElement.clientWidth,
          pageWidth: document.documentElement.scrollWidth,
          table: document.getElementById("imports-table").getBoundingClientRect().width,
          main: document.querySelector("main").clientWidth - 40, // main's padding: 20 px either side
          headers: [...document.querySelectorAll("#imports-table th")].map((th) => ({ text: th.innerText, right: th.getBoundingClientRect().right })),
        }));
        assert.deepEqual(layout.headers.slice(0, keys.length).map((h) => h.text), keys, `${view}: the key columns lead`);
        for (const header of layout.headers.slice(0, keys.length)) {
          assert.ok(header.right <= layout.viewport, `${width} px, ${view}: ${header.text} ends at ${header.right}, in view`);
        }
        assert.ok(layout.pageWidth <= layout.viewport, `${width} px, ${view}: no horizontal scroll (${layout.pageWidth} px wide)`);
        assert.ok(Math.abs(layout.table - layout.main) <= 1, `${width} px, ${view}: the table is ${layout.table} of ${layout.main} px`);
      }
      assert.deepEqual(errors, []);
      if (width === 1000) await opened.screenshot({ path: join(artifacts, "imports-1000px.png") });
    } finally {
      await opened.close();
    }
  }
});

/** WCAG contrast ratio of two computed "rgb(r, g, b)" colours. */
function contrast(a, b) {
  const luminance = (rgb) => {
    const [r, g, bl] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map((c) => {
      const v = Number(c) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** The computed colours a reader sees: page, text, muted text, links, table lines and header, a pattern code. */
const colours = (on) => on.evaluate(() => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  return {
    background: style("body").backgroundColor, text: style("body").color, muted: style("#imports-table .muted").color,
    link: style("#imports-table a").color, line: style("#imports-table td").borderBottomColor,
    header: style("#imports-table th").backgroundColor, code: style("#imports-table .sev-WARNING .code, #imports-table .sev-ERROR .code, #imports-table .sev-INFO .code").color,
    input: style("#imports-filter").backgroundColor,
  };
});

// Dark Modern's values for the variables VS Code gives a webview (a subset), and High Contrast's.
const VSCODE_DARK = { "--vscode-editor-background": "#1f1f1f", "--vscode-editor-foreground": "#cccccc",
  "--vscode-descriptionForeground": "#9d9d9d", "--vscode-panel-border": "#2b2b2b", "--vscode-textLink-foreground": "#4daafc",
  "--vscode-editorWidget-background": "#202020", "--vscode-editorWarning-foreground": "#cca700",
  "--vscode-editorError-foreground": "#f85149", "--vscode-input-background": "#313131",
  "--vscode-textPreformat-background": "#3c3c3c", "--vscode-textPreformat-foreground": "#d0d0d0" };
const VSCODE_HIGH_CONTRAST = { "--vscode-editor-background": "#000000", "--vscode-editor-foreground": "#ffffff",
  "--vscode-contrastBorder": "#6fc3df", "--vscode-textLink-foreground": "#21a6ff", "--vscode-descriptionForeground": "#ffffff" };

// An excerpt of the default style VS Code puts first in every webview's head.
const VSCODE_DEFAULT_STYLE = `body { background-color: transparent; color: var(--vscode-editor-foreground);
  font-family: var(--vscode-font-family); margin: 0; padding: 0 20px; }
code { color: var(--vscode-textPreformat-foreground); background-color: var(--vscode-textPreformat-background);
  padding: 1px 3px; border-radius: 4px; }`;

/** Makes the page look as VS Code's webview host makes it: its default style, theme classes on the body, colours as variables. */
const asVsCodeWebview = (on, classes, variables) => on.evaluate(([css, cls, vars]) => {
  document.head.prepend(Object.assign(document.createElement("style"), { textContent: css }));
  document.body.classList.add(...cls);
  for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value);
}, [VSCODE_DEFAULT_STYLE, classes, variables]);

test("the page follows the theme: light and dark by the OS preference, readable in both", async () => {
  const seen = {};
  for (const colorScheme of ["light", "dark"]) {
    const { opened, errors } = await open(reportPath, { colorScheme });
    try {
      const c = seen[colorScheme] = await colours(opened);
      for (const part of ["text", "muted", "link", "code"]) {
        assert.ok(contrast(c[part], c.background) >= 4.5, `${colorScheme}: ${part} ${c[part]} on ${c.background}`);
      }
      assert.ok(contrast(c.input, c.background) < 1.5, `${colorScheme}: the filter box is of the page (${c.input})`);
      assert.deepEqual(errors, []);
      await opened.screenshot({ path: join(artifacts, `theme-${colorScheme}.png`) });
    } finally {
      await opened.close();
    }
  }
  assert.equal(seen.light.background, "rgb(255, 255, 255)");
  assert.ok(contrast(seen.dark.background, "rgb(0, 0, 0)") < 1.5, `dark page: ${seen.dark.background}`);
  for (const part of ["text", "link", "line", "header"]) {
    assert.notEqual(seen.light[part], seen.dark[part], `${part} changes with the theme`);
  }
});

/** Opens the report as a VS Code webview of the given theme shows it, on an OS of `colorScheme`, and runs `check`. */
async function inVsCode({ colorScheme, classes, variables }, check) {
  const { opened, errors } = await open(reportPath, { colorScheme });
  try {
    await asVsCodeWebview(opened, classes, variables);
    await check(opened, await colours(opened));
    assert.deepEqual(errors, []);
  } finally {
    await opened.close();
  }
}

test("in a VS Code webview the editor's theme wins: its classes and --vscode-* colours", async () => {
  // Dark theme in VS Code on a light OS: the page takes the theme's own colours.
  await inVsCode({ colorScheme: "light", classes: ["vscode-dark"], variables: VSCODE_DARK }, async (opened, c) => {
    assert.equal(c.background, "rgb(31, 31, 31)");
    assert.equal(c.text, "rgb(204, 204, 204)");
    assert.equal(c.link, "rgb(77, 170, 252)");
    assert.equal(c.header, "rgb(32, 32, 32)");
    assert.equal(c.input, "rgb(49, 49, 49)");
    const layout = await opened.evaluate(() => ({
      padding: getComputedStyle(document.body).paddingLeft,
      code: getComputedStyle(document.querySelector("#imports-table code")).backgroundColor,
      tableRight: document.getElementById("imports-table").getBoundingClientRect().right,
      viewport: document.documentElement.clientWidth,
    }));
    assert.equal(layout.padding, "0px", "the page, not the webview's default, sets the margins");
    assert.equal(layout.code, "rgba(0, 0, 0, 0)", "statements are text, not chips");
    assert.ok(Math.abs(layout.tableRight - (layout.viewport - 20)) <= 1, `the table reaches the right margin: ${layout.tableRight}`);
    await opened.screenshot({ path: join(artifacts, "vscode-dark.png") });
  });
  // A light theme on a dark OS, with no variables (an older host): the class alone picks the light palette.
  await inVsCode({ colorScheme: "dark", classes: ["vscode-light"], variables: {} }, (opened, c) => {
    assert.equal(c.background, "rgb(255, 255, 255)");
  });
  // High contrast: borders in the theme's contrast colour, text at full contrast.
  await inVsCode({ colorScheme: "light", classes: ["vscode-high-contrast"], variables: VSCODE_HIGH_CONTRAST }, async (opened, c) => {
    assert.equal(c.background, "rgb(0, 0, 0)");
    assert.equal(c.line, "rgb(111, 195, 223)");
    assert.equal(c.muted, "rgb(255, 255, 255)");
    assert.ok(contrast(c.code, c.background) >= 7, `pattern codes at ${contrast(c.code, c.background).toFixed(1)}:1`);
    await opened.screenshot({ path: join(artifacts, "vscode-high-contrast.png") });
  });
});

test("with forced colours the page uses system colours and the before/after curves differ by dash, not hue", async () => {
  const { opened, errors } = await open(comparePath);
  try {
    await opened.emulateMedia({ forcedColors: "active" });
    const c = await colours(opened);
    assert.ok(contrast(c.text, c.background) >= 7, `${c.text} on ${c.background}`);
    await opened.locator("#tabs button[data-tab=latency]").click();
    const dashes = await opened.locator("#cdfs svg.cdf").first().evaluate((plot) => ["after", "before"].map((series) =>
      getComputedStyle(plot.querySelector(`path[data-series=${series}]`)).strokeDasharray));
    assert.equal(dashes[0], "none");
    assert.notEqual(dashes[1], "none");
    assert.deepEqual(errors, []);
  } finally {
    await opened.close();
  }
});

test("0 ms rows stay hidden until the toggle shows them", async () => {
  // Statements of the fixture that cost nothing; modules of the comparison imported only during a call (none
  // of their time is at init).
  const compare = await open(comparePath);
  try {
    for (const [on, view] of [[page, "statements"], [compare.opened, "modules"]]) {
      await on.locator(`input[name=rank-view][value=${view}]`).check();
      const cost = view === "statements" ? "Cost" : "Per cold start";
      const zero = count(await on.locator("#zero-count").innerText());
      assert.ok(zero > 0, `${view}: the fixture has 0 ms rows`);
      const shown = await columnTexts(on, "#imports-table", cost);
      const savings = await columnTexts(on, "#imports-table", "Saving");
      shown.forEach((text, i) => assert.ok(parseMs(text) >= 0.05 || parseMs(savings[i]) >= 0.05,
        `${view}: a row of ${text} (saving ${savings[i]}) is not shown by default`));
      await on.locator("#show-zero").check();
      const all = await columnTexts(on, "#imports-table", cost);
      assert.equal(all.length, shown.length + zero, `${view}: the toggle adds the ${zero} rows it counts`);
      assert.ok(all.some((text) => text === "0.0 ms"));
      await on.locator("#show-zero").uncheck();
      assert.equal(await on.locator("#imports-table tbody tr").count(), shown.length);
    }
    assert.deepEqual(compare.errors, []);
  } finally {
    await compare.opened.close();
  }
});

test("the filter narrows the table and sorting by cost orders it", async () => {
  const filter = page.locator("#imports-filter");
  await filter.fill("policyuniverse");
  const rows = await page.locator("#imports-table tbody tr").count();
  assert.ok(rows >= 1, "the policyuniverse import is listed");
  for (const text of await page.locator("#imports-table tbody tr").allInnerTexts()) {
    assert.match(text.toLowerCase(), /policyuniverse/);
  }
  await filter.fill("");
  await page.locator("#imports-table th", { hasText: "Cost" }).click(); // numeric columns sort descending first
  const ms = (await columnTexts(page, "#imports-table", "Cost")).map(parseMs);
  assert.deepEqual(ms, [...ms].sort((a, b) => b - a));
});

test("the call tree opens along the hot path, import machinery folded, and follows the import toggle", async () => {
  await page.locator("#tabs button[data-tab=calltree]").click();
  await page.locator("input[name=cct-phase][value=import]").check();
  await page.waitForSelector("#cct .node");
  // Each open row on the hot path: its count, and its visible children's counts (machinery rows marked).
  const open = () => page.locator("#cct .node.hot").evaluateAll((rows) => rows.map((row) => ({
    count: Number(row.querySelector(".count").textContent.replace(/,/g, "")),
    text: row.innerText,
    children: [...(row.parentElement.querySelector(":scope > .children")?.children || [])]
      .map((box) => box.querySelector(".node"))
      .map((node) => ({ count: Number(node.querySelector(".count").textContent.replace(/,/g, "")),
        hot: node.classList.contains("hot"), machinery: node.classList.contains("machinery") })),
  })));
  const path = await open();
  const total = path[0].count;
  assert.ok(path.length >= 5, `opened ${path.length} levels deep`);
  path.forEach((level, i) => {
    const real = level.children.filter((child) => !child.machinery);
    if (i + 1 < path.length) {
      assert.ok(real[0].hot, `level ${i}: the heaviest child is the next on the path`);
      assert.equal(real[0].count, path[i + 1].count);
      assert.ok(path[i + 1].count >= total / 10, "the path follows children with at least 10 % of the samples");
      assert.deepEqual(real.map((c) => c.count), real.map((c) => c.count).sort((a, b) => b - a), "heaviest first");
    } else {
      assert.ok(!real.length || real[0].count < total / 10, "the path ends where no child holds 10 %");
    }
  });
  // The import of policyuniverse (the fixture's heaviest statement) is on the path, as its module body.
  // Files as messages name them: a library's below site-packages, the app's below its root.
  assert.ok(path.some((level) => /<module> \(policyuniverse\/__init__\.py:\d+\)/.test(level.text)), "policyuniverse on the hot path");
  const frameTexts = () => page.locator("#cct .node:not(.machinery)").allInnerTexts();
  const appRoot = JSON.parse(readFileSync(join(repo, "fixtures/profiles", `${app}.json`), "utf8")).app.root;
  assert.ok((await frameTexts()).every((t) => !t.includes("-packages/") && !t.includes(appRoot)), "no absolute paths of the profiling machine");
  assert.ok((await frameTexts()).every((t) => !/importlib\._bootstrap|<frozen importlib/.test(t)), "no import machinery frame shown");
  assert.ok(await page.locator("#cct .node.machinery").count() > 0, "the machinery's own samples in a row of their own");
  await page.screenshot({ path: join(artifacts, "calltree.png"), fullPage: true });

  await page.locator("#cct-fold").uncheck();
  assert.ok((await frameTexts()).some((t) => /_find_and_load .*importlib\._bootstrap/.test(t)), "unfolded, the frames are back");
  assert.equal(await rootCount(), total, "folding does not change the counts");
  await page.locator("#cct-fold").check();

  const importOnly = await rootCount();
  await page.locator("input[name=cct-phase][value=execution]").check();
  const execution = await rootCount();
  await page.locator("input[name=cct-phase][value=all]").check();
  const all = await rootCount();
  assert.equal(all, execution + importOnly, "all samples = execution + import samples");
  assert.ok(importOnly > 0 && execution > 0, "the fixture has samples of both phases");
});

test("the module filter keeps only paths through the module", async () => {
  await page.locator("#tabs button[data-tab=calltree]").click();
  await page.locator("input[name=cct-phase][value=all]").check();
  await page.locator("#cct-module").fill("policyuniverse");
  await page.locator("#cct-module").press("Enter");
  await page.locator("#cct-module").dispatchEvent("change");
  const filtered = await rootCount();
  await page.locator("#cct-module").fill("");
  await page.locator("#cct-module").dispatchEvent("change");
  const unfiltered = await rootCount();
  assert.ok(filtered > 0 && filtered < unfiltered, `policyuniverse samples ${filtered} of ${unfiltered}`);
});

test("module rows rank every module and link the statement that loaded it", async () => {
  await page.locator("#tabs button[data-tab=imports]").click();
  await page.locator("input[name=rank-view][value=modules]").check();
  const headers = await page.locator("#imports-table th").allInnerTexts();
  for (const label of ["Module", "Loaded by", "Pattern", "Saving", "Per cold start", "Usage", "Samples", "Self", "Cumulative", "Memory"]) {
    assert.ok(headers.some((h) => h.startsWith(label)), `a ${label} column in ${headers.join(" | ")}`);
  }
  const [moduleAt, loadedByAt, patternAt] = [await column(page, "#imports-table", "Module"),
    await column(page, "#imports-table", "Loaded by"), await column(page, "#imports-table", "Pattern")];
  const first = page.locator("#imports-table tbody tr").first();
  const cells = await first.locator("td").allInnerTexts();
  assert.equal(cells[moduleAt], "policyuniverse", "the module that costs the most per cold start comes first");
  const top = expected()[0];
  assert.equal(cells[loadedByAt], `${top.file}:${top.line}`, "loaded by the statement of the top finding");
  assert.match(cells[patternAt], /^CS102 /);
  const link = first.locator("a[data-file]");
  assert.equal(await link.getAttribute("data-line"), String(top.line));

  // Filtering by a module keeps the modules its statement loaded (pathlib2's imports come along).
  await page.locator("#imports-filter").fill("pathlib2");
  const filtered = await page.locator("#imports-table tbody tr").evaluateAll((rows, [m, l]) =>
    rows.map((row) => [row.cells[m].innerText, row.cells[l].innerText]), [moduleAt, loadedByAt]);
  const names = filtered.map(([name]) => name);
  assert.ok(names.includes("pathlib2") && names.includes("six"), names.join(", "));
  assert.equal(new Set(filtered.map(([, at]) => at)).size, 1, "all loaded by the one pathlib2 statement");
  await page.locator("#imports-filter").fill("");

  await page.locator("#imports-table th", { hasText: /^Self/ }).click();
  const selfMs = (await columnTexts(page, "#imports-table", "Self")).map(parseMs);
  assert.deepEqual(selfMs, [...selfMs].sort((a, b) => b - a), "sorted by self time, largest first");
  await page.screenshot({ path: join(artifacts, "modules.png"), fullPage: true });

  await page.locator("input[name=rank-view][value=statements]").check();
  assert.equal(await page.locator("#imports-table th").first().innerText(), "#");
  assert.ok((await page.locator("#imports-table th").allInnerTexts()).includes("Statement"));
});

test("every file:line link carries data-file and data-line (the VS Code webview opens them)", async () => {
  for (const view of ["statements", "modules"]) {
    await page.locator(`input[name=rank-view][value=${view}]`).check();
    const links = await page.locator("#imports-table a").evaluateAll((anchors) =>
      anchors.map((a) => [a.textContent, a.dataset.file, a.dataset.line]));
    assert.ok(links.length > 0);
    for (const [text, file, line] of links) {
      assert.ok(file && line, `${text} has data-file and data-line`);
      assert.ok(text.endsWith(":" + line), `${text} ends with its line`);
    }
  }
  await page.locator("input[name=rank-view][value=statements]").check();
});

test("the waterfall and the module tree are drawn", async () => {
  await page.locator("#tabs button[data-tab=waterfall]").click();
  assert.ok(await page.locator("#icicle .ice").count() > 10);
  await page.screenshot({ path: join(artifacts, "waterfall.png"), fullPage: true });
  await page.locator("#tabs button[data-tab=packages]").click();
  const top = page.locator("#package-tree .node").first();
  assert.equal(await top.getAttribute("data-package"), "policyuniverse", "the heaviest package first");
  await top.locator(".toggle").click();
  assert.ok(await page.locator("#package-tree .node[data-package^='policyuniverse.']").count() > 1);
});

test("compile time: a column after the cost and stripes in the waterfall when the data has it, none otherwise", async () => {
  assert.ok(!(await page.locator("#imports-table th").allInnerTexts()).includes("Compile"), "no bytecode data, no column");
  // The golden profile predates bytecode records: the report data of an agent that has them, made from it.
  // Every module with a source file compiled in all cold starts, compiling taking 40 % of its own time.
  let expectedByStatement;
  const path = withData(readFileSync(reportPath, "utf8"), "compile.html", (data) => {
    expectedByStatement = new Map();
    for (const m of data.modules) {
      if (!m.file || !m.file.endsWith(".py")) continue;
      m.compileMs = Math.round(m.selfMs * 400) / 1000;
      m.compiledIn = m.imported;
      m.compileCause = "none";
      if (m.statement !== undefined) expectedByStatement.set(m.statement, (expectedByStatement.get(m.statement) || 0) + m.compileMs);
    }
  });
  const { opened, errors } = await open(path, { width: 1000 });
  try {
    const data = await opened.evaluate(() => JSON.parse(document.getElementById("coldspy-data").textContent));
    const statements = data.analysis.analyses[0].statements;
    assert.equal(await column(opened, "#imports-table", "Compile"), await column(opened, "#imports-table", "Cost") + 1);
    const rows = await opened.locator("#imports-table tbody tr").evaluateAll((trs, [s, c]) =>
      trs.map((tr) => [tr.cells[s].querySelector("a").dataset.file + ":" + tr.cells[s].querySelector("a").dataset.line,
        tr.cells[c].innerText]), [await column(opened, "#imports-table", "Statement"), await column(opened, "#imports-table", "Compile")]);
    let compiled = 0;
    for (const [where, text] of rows) {
      const index = statements.findIndex((st) => `${st.file}:${st.line}` === where);
      const wanted = expectedByStatement.get(index) || 0;
      assert.ok(Math.abs(parseMs(text) - wanted) <= Math.max(0.05, wanted * 0.005), `${where}: compile ${text}, expected ${wanted} ms`);
      if (wanted > 0) compiled++;
    }
    assert.ok(compiled >= 3, `${compiled} statements loaded compiled modules`);
    const headerRight = await opened.locator("#imports-table th", { hasText: "Compile" }).evaluate((th) => th.getBoundingClientRect().right);
    assert.ok(headerRight <= 1000, "in view at 1000 px");
    await opened.screenshot({ path: join(artifacts, "compile-column.png") });

    await opened.locator("input[name=rank-view][value=modules]").check();
    assert.equal(await column(opened, "#imports-table", "Compile"), await column(opened, "#imports-table", "Per cold start") + 1);
    const policy = data.modules.find((m) => m.name === "policyuniverse");
    const moduleRow = opened.locator("#imports-table tbody tr").first();
    assert.equal(await moduleRow.locator("td").nth(await column(opened, "#imports-table", "Module")).innerText(), "policyuniverse");
    assert.equal(parseMs(await moduleRow.locator("td").nth(await column(opened, "#imports-table", "Compile")).innerText()),
      Math.round(policy.compileMs));

    await opened.locator("#tabs button[data-tab=waterfall]").click();
    assert.ok(await opened.locator("#compile-legend").isVisible(), "the waterfall explains its stripes");
    const [bar, stripe] = await opened.locator("#icicle .ice[data-module=policyuniverse]").evaluate((ice) =>
      [ice.getBoundingClientRect().width, ice.querySelector(".compile").getBoundingClientRect().width]);
    const share = policy.compileMs / policy.cumulativeMs;
    assert.ok(Math.abs(stripe / bar - share) < 0.01, `stripe ${stripe} of ${bar} px for ${policy.compileMs} of ${policy.cumulativeMs} ms`);
    assert.deepEqual(errors, []);
    await opened.screenshot({ path: join(artifacts, "waterfall-compile.png") });
  } finally {
    await opened.close();
  }
  await page.locator("#tabs button[data-tab=waterfall]").click();
  assert.ok(await page.locator("#compile-legend").isHidden());
  assert.equal(await page.locator("#icicle .compile").count(), 0);
});

/** Writes the report of a fixture app from its golden profile, in the app's folder as a user would. */
function fixtureReport(fixture) {
  const path = join(work, `${fixture}.html`);
  execFileSync("java", ["-jar", jar, "report", "--profile", join(repo, "fixtures/profiles", `${fixture}.json`), "-o", path],
    { stdio: "inherit", cwd: join(repo, "fixtures/apps", fixture) });
  return path;
}

/** The ranked table's row of the statement at file:line (its Statement cell links it). */
const statementRow = (on, file, line) => on.locator("#imports-table > tbody > tr")
  .filter({ has: on.locator(`td:nth-child(2) a[data-file="${file}"][data-line="${line}"]`) });

/**
 * The fixture's CS106 finding below its line: the heaviest never-ran sub-tree and its chain from the library's
 * line in the table; opened, every never-ran sub-tree of the statement heaviest first by cumulative cost, and the
 * import tree opened down to the culprit with what ran above it. Returns the open page for more checks.
 */
async function checkBelowTheLine(path, fixture) {
  const [finding] = expected(fixture).filter((e) => e.code === "CS106");
  const { opened, errors } = await open(path, { width: 1000 });
  const data = await opened.evaluate(() => JSON.parse(document.getElementById("coldspy-data").textContent));
  const statements = data.analysis.analyses[0].statements;
  const st = statements.find((x) => x.file === finding.file && x.line === finding.line);
  const row = statementRow(opened, finding.file, finding.line);
  assert.equal(await row.count(), 1, `${fixture}: a row for ${finding.file}:${finding.line}`);
  const cells = row.locator(":scope > td");
  assert.match(await cells.nth(await column(opened, "#imports-table", "Pattern")).innerText(), /^CS106 /);
  const culprit = cells.nth(await column(opened, "#imports-table", "Never ran below"));
  assert.equal(await culprit.locator("code").innerText(), finding.via, `${fixture}: the culprit leads`);
  assert.equal(await culprit.locator(".chain").innerText(), finding.chain.join(" → "));
  const [libraryFile, libraryLine] = finding.chain[0].split(":");
  const link = culprit.locator(".chain a");
  assert.equal(await link.getAttribute("data-line"), libraryLine);
  assert.ok((await link.getAttribute("data-file")).endsWith("/" + libraryFile), "the link opens the library's file");

  await row.locator("button.expand").click();
  const details = row.locator("xpath=following-sibling::tr[1]");
  assert.equal(await details.getAttribute("class"), "details");
  const parts = await details.locator("table.unused-parts tbody tr").evaluateAll((trs) => trs.map((tr) =>
    ({ module: tr.cells[0].innerText, cost: tr.cells[1].innerText, ran: tr.cells[3].innerText, chain: tr.cells[4].innerText })));
  const byCost = [...st.unusedParts].sort((a, b) => b.costMs - a.costMs);
  assert.deepEqual(parts.map((p) => p.module), byCost.map((p) => p.module), "every never-ran sub-tree, heaviest first");
  assert.deepEqual(parts.map((p) => parseMs(p.cost)), byCost.map((p) => parseMs(fmt(p.costMs))), "by cumulative cost");
  assert.equal(parts[0].module, finding.via);
  for (const also of finding.alsoUnused) assert.ok(parts.some((p) => p.module === also), `${also} is listed`);
  for (const part of parts) assert.match(part.ran, /^never, in \d+ cold starts \(exact signal\)$/);

  // The import tree: open from the statement's modules down to the culprit, which never ran, below code that did.
  const culpritNode = details.locator(`.tree .node[data-module="${finding.via}"]`);
  assert.ok(await culpritNode.isVisible(), "the tree is open down to the culprit");
  assert.match(await culpritNode.getAttribute("class"), /\bunused\b/);
  assert.match(await culpritNode.locator(".state").innerText(), /^ran: never, in \d+ cold starts/);
  assert.equal(await culpritNode.locator(".at a").innerText(), finding.chain[0], "imported at the library's line");
  const above = await culpritNode.evaluate((node) => {
    const chain = [];
    for (let box = node.parentElement.parentElement; box.classList.contains("children"); box = box.parentElement.parentElement) {
      const parent = box.parentElement.querySelector(":scope > .node");
      chain.push({ module: parent.dataset.module, state: parent.querySelector(".state").textContent, cost: parent.querySelector(".count").textContent });
    }
    return chain;
  });
  assert.ok(above.length >= 1, "the culprit hangs below the statement's modules");
  for (const ancestor of above) assert.match(ancestor.state, /^ran: in calls \d+\/\d+ \(exact signal\)/, `${ancestor.module} ran`);
  // Sub-trees are cumulative: each open node costs at least what any of its children does.
  const treeNodes = await details.locator(".tree .node").evaluateAll((nodes) => nodes.map((node) => ({
    cost: node.querySelector(".count").textContent,
    children: [...(node.parentElement.querySelector(":scope > .children")?.children || [])].map((box) => box.querySelector(".count").textContent),
  })));
  for (const node of treeNodes) for (const child of node.children) assert.ok(parseMs(child) <= parseMs(node.cost), `${child} under ${node.cost}`);

  const layout = await opened.evaluate(() => ({ viewport: document.documentElement.clientWidth, page: document.documentElement.scrollWidth }));
  assert.ok(layout.page <= layout.viewport, `${fixture}: opened, still no horizontal scroll (${layout.page} px)`);
  assert.deepEqual(errors, []);
  return { opened, details, st };
}

/** The page's own millisecond format, to compare figures as shown. */
const fmt = (ms) => (ms >= 1000 ? (ms / 1000).toFixed(2) + " s" : ms >= 10 ? ms.toFixed(0) + " ms" : ms.toFixed(1) + " ms");

test("below the line: a CS106 import shows its heaviest never-ran sub-trees, their chains and what ran above them", async () => {
  const path = fixtureReport("heart_rate");
  const { opened } = await checkBelowTheLine(path, "heart_rate");
  try {
    await opened.screenshot({ path: join(artifacts, "below-the-line.png"), fullPage: true });
    // Statements whose modules another line loaded first have nothing below them, and no button.
    const numpy = statementRow(opened, "measure-heart-rate.py", 10);
    await opened.locator("#show-zero").check();
    assert.equal(await numpy.locator("button.expand").count(), 0);
    // The filter finds a statement by a library its never-ran part brings in.
    await opened.locator("#imports-filter").fill("kiwisolver");
    assert.equal(await opened.locator("#imports-table > tbody > tr:not(.details)").count(), 1);
  } finally {
    await opened.close();
  }
  // A narrow editor pane: the table with its extra columns (compile, never ran below) and the opened row still fit.
  const narrow = await open(path, { width: 800 });
  try {
    await statementRow(narrow.opened, "measure-heart-rate.py", 9).locator("button.expand").click();
    const layout = await narrow.opened.evaluate(() => ({ viewport: document.documentElement.clientWidth, page: document.documentElement.scrollWidth }));
    assert.ok(layout.page <= layout.viewport, `800 px: no horizontal scroll (${layout.page} px)`);
    assert.deepEqual(narrow.errors, []);
  } finally {
    await narrow.opened.close();
  }
  // With sampled evidence instead of the exact signal, the page says so.
  const sampled = withData(readFileSync(path, "utf8"), "heart_rate-sampled.html", (data) => {
    for (const st of data.analysis.analyses[0].statements) st.usage.exact = false;
  });
  const { opened: page2, errors } = await open(sampled);
  try {
    const row = statementRow(page2, "measure-heart-rate.py", 9);
    await row.locator("button.expand").click();
    const states = await page2.locator("tr.details .tree .state").allInnerTexts();
    assert.ok(states.length > 3);
    for (const state of states) assert.match(state, /\(sampled\)$/);
    assert.deepEqual(errors, []);
  } finally {
    await page2.close();
  }
});

test("below the line of a statement that is no import: the unpickle's never-ran parts, and code it ran at init", async () => {
  const { opened, details } = await checkBelowTheLine(fixtureReport("fraud_scoring"), "fraud_scoring");
  try {
    // lightgbm.basic ran in requests (Booster.predict) and at init (unpickling builds the Booster).
    const basic = details.locator('.tree .node[data-module="lightgbm.basic"] .state');
    assert.match(await basic.innerText(), /^ran: in calls \d+\/\d+ \(exact signal\), at init \d+\/\d+$/);
    await opened.screenshot({ path: join(artifacts, "below-the-line-call.png"), fullPage: true });
  } finally {
    await opened.close();
  }
});

test("a comparison leads with the change in median init above the tabs; a plain report has no such line", async () => {
  const { opened, errors } = await open(comparePath);
  try {
    const data = await opened.evaluate(() => JSON.parse(document.getElementById("coldspy-data").textContent));
    // The engine's median: linear interpolation between the middle values.
    const median = (v) => { const r = (v.length - 1) / 2, lo = Math.floor(r); return v[lo] + (r - lo) * (v[Math.ceil(r)] - v[lo]); };
    const before = median(data.before.initMs), after = median(data.latency.initMs);
    const percent = Math.round(100 * (after - before) / before);
    const init = await opened.locator("#compare [data-measure=init]").innerText();
    assert.equal(init, `init ${before.toFixed(0)} \u2192 ${after.toFixed(0)} ms (\u2212${-percent} %)`);
    assert.match(init, /^init \d+ → \d+ ms \(−\d+ %\)$/);
    assert.equal(after.toFixed(0), (await opened.locator("#summary b").first().innerText()).replace(" ms", ""),
      "the after figure is the summary's median init");
    assert.match(await opened.locator("#compare [data-measure='end to end']").innerText(), /^end to end \d+ → \d+ ms \(−\d+ %\)$/);
    const [header, tabs] = [await opened.locator("#compare").boundingBox(), await opened.locator("#tabs").boundingBox()];
    assert.ok(header.height > 0 && header.y + header.height <= tabs.y, "shown above the tabs");
    assert.deepEqual(errors, []);
    await opened.screenshot({ path: join(artifacts, "compare-header.png") });
  } finally {
    await opened.close();
  }
  assert.ok(await page.locator("#compare").isHidden(), "no comparison, no header line");
});

test("before vs after a fix: the CDFs of the two profiles differ, on axes in one unit", async () => {
  const { opened, errors } = await open(comparePath);
  try {
    const data = await opened.evaluate(() => JSON.parse(document.getElementById("coldspy-data").textContent));
    const median = (values) => values[Math.floor(values.length / 2)];
    assert.ok(median(data.latency.initMs) < median(data.before.initMs) - 300,
      `init median after ${median(data.latency.initMs)} ms, before ${median(data.before.initMs)} ms`);
    await opened.locator("#tabs button[data-tab=latency]").click();
    const plots = opened.locator("#cdfs svg.cdf");
    assert.equal(await plots.count(), 3);
    const curves = await plots.evaluateAll((svgs) => svgs.map((plot) => ({
      title: plot.getAttribute("aria-label"),
      unit: plot.dataset.unit,
      axis: plot.querySelector("text.axis").textContent,
      ticks: [...plot.querySelectorAll("text.tick")].map((t) => t.textContent),
      after: plot.querySelector("path[data-series=after]").getAttribute("d"),
      before: plot.querySelector("path[data-series=before]").getAttribute("d"),
    })));
    const keys = { Init: "initMs", Execution: "executionMs", "End to end": "endToEndMs" };
    for (const curve of curves) {
      assert.equal(curve.axis, `time (${curve.unit})`, `${curve.title}: the axis names the ticks' unit`);
      const ticks = curve.ticks.map(Number);
      assert.ok(ticks.every((t) => !Number.isNaN(t)), `${curve.title}: plain numbers ${curve.ticks}`);
      const key = Object.entries(keys).find(([prefix]) => curve.title.startsWith(prefix))[1];
      const maxMs = Math.max(data.latency[key].at(-1), data.before[key].at(-1));
      const perMs = curve.unit === "s" ? 1 / 1000 : 1;
      assert.ok(ticks.at(-1) >= maxMs * perMs && ticks.at(-1) < maxMs * perMs * 1.2,
        `${curve.title}: last tick ${ticks.at(-1)} ${curve.unit} just covers ${maxMs} ms`);
    }
    const init = curves.find((c) => c.title.startsWith("Init"));
    assert.notEqual(init.after, init.before, "the fix moves the init curve");
    assert.notEqual(curves.find((c) => c.title.startsWith("End to end")).after,
      curves.find((c) => c.title.startsWith("End to end")).before);
    await opened.screenshot({ path: join(artifacts, "latency.png"), fullPage: true });

    // The waterfall is of init: the subtree imported during a call is not in it, and every bar lies within
    // the bar of the module that imported it.
    await opened.locator("#tabs button[data-tab=waterfall]").click();
    const bars = await opened.locator("#icicle .ice").evaluateAll((ices) => ices.map((ice) => {
      const box = ice.getBoundingClientRect();
      return { name: ice.dataset.module, left: box.left, right: box.right, top: box.top };
    }));
    assert.ok(!bars.some((bar) => bar.name.startsWith("policyuniverse")), "policyuniverse left init");
    const modules = new Map(data.modules.map((m) => [m.name, m]));
    const byName = new Map(bars.map((bar) => [bar.name, bar]));
    for (const bar of bars) {
      const parent = byName.get(modules.get(bar.name).parent);
      if (!parent) continue;
      assert.ok(bar.left >= parent.left - 0.5 && bar.right <= parent.right + 0.5 && bar.top > parent.top,
        `${bar.name} [${bar.left}, ${bar.right}] under ${parent.name} [${parent.left}, ${parent.right}]`);
    }

    // After the fix policyuniverse is imported during the one call that needs it, at the moved statement; the
    // run-time imports open sorted by cost, the largest first.
    await opened.locator("#tabs button[data-tab=runtime]").click();
    const costs = (await columnTexts(opened, "#runtime-table", "Cost")).map(parseMs);
    assert.ok(costs.length > 3, `${costs.length} run-time imports`);
    assert.deepEqual(costs, [...costs].sort((a, b) => b - a), "sorted by cost");
    assert.equal(await opened.locator("#runtime-table th", { hasText: "Cost" }).getAttribute("aria-sort"), "descending");
    assert.equal(await opened.locator("#runtime-table tbody tr td:first-child").first().innerText(), "policyuniverse.policy",
      "the imported subtree's root costs the most");
    await opened.screenshot({ path: join(artifacts, "runtime.png") });
    const row = opened.locator("#runtime-table tbody tr")
      .filter({ has: opened.locator("td:first-child", { hasText: /^policyuniverse\.policy$/ }) });
    const link = row.locator("a[data-file]");
    assert.equal(await link.getAttribute("data-file"), "rules/cloudtrail_public_resources.py");
    assert.equal(await link.getAttribute("data-line"), "2");
    assert.deepEqual(errors, []);
  } finally {
    await opened.close();
  }
});

test("a series of 500,000 invocations plots without a stack overflow, in at most 2,000 steps", async () => {
  // The page of the comparison with its execution series swapped for 500,000 values: more arguments than a
  // Math.max(...values) call can take.
  const big = withData(readFileSync(comparePath, "utf8"), "big-series.html", (data) => {
    data.latency.executionMs = Array.from({ length: 500_000 }, (_, i) => 1 + i / 1000);
  });
  const { opened, errors } = await open(big);
  try {
    await opened.locator("#tabs button[data-tab=latency]").click();
    const execution = opened.locator("#cdfs svg.cdf").nth(1);
    assert.equal(await execution.locator("path[data-series=after]").getAttribute("data-steps"), "2000");
    assert.deepEqual(errors, []);
  } finally {
    await opened.close();
  }
});

test("a 1M-sample profile stays usable: the tree opens at the root and pages its children", async () => {
  const dir = mkdtempSync(join(work, "synthetic-"));
  execFileSync("python3", ["-c", `
import json, pathlib, sys
sys.path.insert(0, ${JSON.stringify(join(repo, "scripts/bench"))})
import synthetic_profile
root = pathlib.Path(sys.argv[1])
_, profile = synthetic_profile.build(root)
(root / "profile.json").write_text(json.dumps(profile))
`, dir]);
  const large = join(work, "large.html");
  execFileSync("java", ["-jar", jar, "report", "--profile", join(dir, "profile.json"), dir, "-o", large], { stdio: "inherit" });
  const { opened, errors } = await open(large);
  try {
    await opened.locator("#tabs button[data-tab=calltree]").click();
    await opened.locator("input[name=cct-phase][value=all]").check();
    await opened.waitForSelector("#cct .node");
    assert.equal(await rootCount(opened), 1_000_000);
    // No child holds a tenth of the samples: the hot path stops at the root, open on one page of children.
    assert.equal(await opened.locator("#cct .node.hot").count(), 1, "only the root is open");
    assert.equal(await opened.locator("#cct .children > div > .node").count(), 200, "one page of children");
    const more = opened.locator("#cct .node.more");
    assert.match(await more.innerText(), /^… [\d,]+ more$/);
    await more.click();
    assert.ok(await opened.locator("#cct .children > div > .node").count() > 200, "the next page on demand");
    await opened.locator("#tabs button[data-tab=latency]").click();
    assert.equal(await opened.locator("#cdfs svg.cdf").count(), 3);
    assert.deepEqual(errors, []);
    await opened.screenshot({ path: join(artifacts, "large-calltree.png") });
  } finally {
    await opened.close();
  }
});
