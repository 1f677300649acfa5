// Browser test of the HTML report: writes reports with the real jar, opens them from file:// in Debian's
// Chromium, and checks the ranked table (statement and module rows), the call tree's on-demand expansion, the
// import-phase toggle, the module filter and the CDF plots of a before/after comparison; then a synthetic
// 1M-sample report stays usable (collapsed tree, paged children). Screenshots go to test-artifacts/report/.
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

function expected() {
  return JSON.parse(readFileSync(join(repo, "fixtures/apps", app, "expected-findings.json"), "utf8"));
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
async function open(path) {
  const opened = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const requests = [];
  opened.on("request", (request) => { if (!request.url().startsWith("file://")) requests.push(request.url()); });
  const errors = [];
  opened.on("pageerror", (error) => errors.push(String(error)));
  await opened.goto("file://" + path);
  await opened.waitForSelector("#imports-table tbody tr");
  return { opened, errors, requests };
}

const rootCount = async (selector) =>
  Number((await page.locator(selector).first().locator(".count").innerText()).replace(/,/g, ""));

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
});

after(async () => {
  if (browser) await browser.close();
});

test("the ranked table's first row is the fixture's top expected finding", async () => {
  const first = await page.locator("#imports-table tbody tr").first().locator("td").allInnerTexts();
  const wanted = expected().map((e) => `${e.file}:${e.line}`);
  assert.equal(first[0], "1");
  assert.ok(wanted.includes(first[1]), `first row ${first[1]} is one of ${wanted.join(", ")}`);
  assert.match(first[3], /^CS10\d /);
  await page.screenshot({ path: join(artifacts, "imports.png"), fullPage: true });
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
  const costs = await page.locator("#imports-table tbody tr td:nth-child(6)").allInnerTexts();
  const ms = costs.map((c) => (c.endsWith(" s") ? parseFloat(c) * 1000 : parseFloat(c)));
  assert.deepEqual(ms, [...ms].sort((a, b) => b - a));
});

test("the call tree starts collapsed, expands on demand and follows the import toggle", async () => {
  await page.locator("#tabs button[data-tab=calltree]").click();
  await page.waitForSelector("#cct .node");
  assert.equal(await page.locator("#cct .node").count(), 1, "only the root is drawn at first");
  const rootCount = async () => Number((await page.locator("#cct .node").first().locator(".count").innerText()).replace(/,/g, ""));
  const execution = await rootCount();
  await page.locator("#cct .node").first().locator(".toggle").click();
  assert.ok(await page.locator("#cct .node").count() > 1, "expanding the root shows its children");
  await page.locator("input[name=cct-phase][value=import]").check();
  const importOnly = await rootCount();
  await page.locator("input[name=cct-phase][value=all]").check();
  const all = await rootCount();
  assert.equal(all, execution + importOnly, "all samples = execution + import samples");
  assert.ok(importOnly > 0, "the fixture has import-phase samples");
  await page.screenshot({ path: join(artifacts, "calltree.png"), fullPage: true });
});

test("the module filter keeps only paths through the module", async () => {
  await page.locator("input[name=cct-phase][value=all]").check();
  await page.locator("#cct-module").fill("policyuniverse");
  await page.locator("#cct-module").press("Enter");
  await page.locator("#cct-module").dispatchEvent("change");
  const filtered = Number((await page.locator("#cct .node").first().locator(".count").innerText()).replace(/,/g, ""));
  await page.locator("#cct-module").fill("");
  await page.locator("#cct-module").dispatchEvent("change");
  const unfiltered = Number((await page.locator("#cct .node").first().locator(".count").innerText()).replace(/,/g, ""));
  assert.ok(filtered > 0 && filtered < unfiltered, `policyuniverse samples ${filtered} of ${unfiltered}`);
});

test("module rows rank every module and link the statement that loaded it", async () => {
  await page.locator("#tabs button[data-tab=imports]").click();
  await page.locator("input[name=rank-view][value=modules]").check();
  const headers = await page.locator("#imports-table th").allInnerTexts();
  for (const column of ["Module", "Loaded by", "Pattern", "Saving", "Per cold start", "Usage", "Samples", "Self", "Cumulative", "Memory"]) {
    assert.ok(headers.some((h) => h.startsWith(column)), `a ${column} column in ${headers.join(" | ")}`);
  }
  const first = page.locator("#imports-table tbody tr").first();
  const cells = await first.locator("td").allInnerTexts();
  assert.equal(cells[1], "policyuniverse", "the module that costs the most per cold start comes first");
  const top = expected()[0];
  assert.equal(cells[2], `${top.file}:${top.line}`, "loaded by the statement of the top finding");
  assert.match(cells[3], /^CS102 /);
  const link = first.locator("a[data-file]");
  assert.equal(await link.getAttribute("data-line"), String(top.line));

  // Filtering by a module keeps the modules its statement loaded (pathlib2's imports come along).
  await page.locator("#imports-filter").fill("pathlib2");
  const filtered = await page.locator("#imports-table tbody tr").evaluateAll((rows) =>
    rows.map((row) => [row.cells[1].innerText, row.cells[2].innerText]));
  const names = filtered.map(([name]) => name);
  assert.ok(names.includes("pathlib2") && names.includes("six"), names.join(", "));
  assert.equal(new Set(filtered.map(([, at]) => at)).size, 1, "all loaded by the one pathlib2 statement");
  await page.locator("#imports-filter").fill("");

  await page.locator("#imports-table th", { hasText: /^Self/ }).click();
  const selfMs = (await page.locator("#imports-table tbody tr td:nth-child(9)").allInnerTexts())
    .map((c) => (c.endsWith(" s") ? parseFloat(c) * 1000 : parseFloat(c)));
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

    // After the fix policyuniverse is imported during the one call that needs it, at the moved statement.
    await opened.locator("#tabs button[data-tab=runtime]").click();
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
  // Math.max(...values) call can take. The data is re-embedded the way the report writer embeds it.
  const html = readFileSync(comparePath, "utf8");
  const marker = /(<script id="coldspy-data" type="application\/json">)([\s\S]*?)(<\/script>)/;
  const data = JSON.parse(marker.exec(html)[2]);
  data.latency.executionMs = Array.from({ length: 500_000 }, (_, i) => 1 + i / 1000);
  const big = join(work, "big-series.html");
  writeFileSync(big, html.replace(marker, (_, start, _json, end) =>
    start + JSON.stringify(data).replace(/<\//g, "<\\/") + end));
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

test("a 1M-sample profile stays usable: the tree opens collapsed and pages its children", async () => {
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
    assert.equal(await opened.locator("#cct .node").count(), 1, "only the root is drawn");
    assert.equal(Number((await opened.locator("#cct .node .count").first().innerText()).replace(/,/g, "")), 1_000_000);
    await opened.locator("#cct .node .toggle").first().click();
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
