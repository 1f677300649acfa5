// End-to-end test of the ColdSpy extension in a real VS Code (code-server) driven by Chromium.
// Run by e2e/run-e2e.sh; screenshots and logs go to vscode-client/test-artifacts/e2e/.
//   COLDSPY_VSIX            the .vsix to install (default: dist/coldspy-<version>.vsix)
//   COLDSPY_E2E_UNTRUSTED   =0: skip the untrusted-workspace suite (the benchmark does)
//   COLDSPY_E2E_FIRST_RUN   =0: skip the first-run suite (no profile, profiling; the benchmark does)
'use strict';
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { after, before, describe, it } = require('node:test');
const { editorLines, openHost, runCommand, until } = require('./host');
const scenario = require('./scenario');
const { describeBreakdown, startupBreakdown } = require('./startupBreakdown');

// Waits on the server are generous (up to 2 minutes): a busy 2-core CI machine starts a JVM slowly. They poll,
// so a fast machine does not wait longer.
const EXTENSION_DIR = path.resolve(__dirname, '..');
const REPO = path.resolve(EXTENSION_DIR, '..');
const { version } = require(path.join(EXTENSION_DIR, 'package.json'));
const VSIX = process.env.COLDSPY_VSIX || path.join(EXTENSION_DIR, 'dist', `coldspy-${version}.vsix`);
const ARTIFACTS = path.join(EXTENSION_DIR, 'test-artifacts', 'e2e');

fs.rmSync(ARTIFACTS, { recursive: true, force: true });
fs.mkdirSync(ARTIFACTS, { recursive: true });

function log(...args) {
  console.log(`# [${new Date().toISOString().slice(11, 23)}]`, ...args);
}

async function screenshot(page, name) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  log('screenshot', path.relative(EXTENSION_DIR, file));
}

/**
 * Opens a workspace file from the Explorer (expanding its folders) and returns when its editor shows. The
 * Explorer is used rather than Quick Open, whose file search can lag far behind on a loaded machine.
 * Returns the page's clock (performance.now()) at the click that opened it; from then on the page records
 * in window.coldspyFirstSquiggleAt when the first diagnostic squiggle appears in an editor.
 */
async function openFile(page, relativePath) {
  const segments = relativePath.split('/');
  const row = (name) => page.locator('.explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
  for (const folder of segments.slice(0, -1)) {
    await row(folder).click({ timeout: 30000 });
  }
  const file = row(segments[segments.length - 1]);
  await file.waitFor({ timeout: 30000 });
  const openedAt = await page.evaluate(() => {
    window.coldspyFirstSquiggleAt = undefined;
    const observer = new MutationObserver(() => {
      if (document.querySelector('.editor-instance .monaco-editor .view-overlays [class*="squiggly-"]')) {
        window.coldspyFirstSquiggleAt = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
    return performance.now();
  });
  await file.click();
  await page.locator('.tab.active', { hasText: path.basename(relativePath) }).waitFor({ timeout: 30000 });
  await page.waitForSelector('.editor-instance .monaco-editor .view-lines', { timeout: 30000 });
  return openedAt;
}

/** The text of the log files named `name` that VS Code keeps (one per session) under `logsDir`. */
function logText(logsDir, name) {
  const find = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? find(full) : entry.name === name ? [full] : [];
    });
  return fs.existsSync(logsDir) ? find(logsDir).map((file) => fs.readFileSync(file, 'utf8')).join('') : '';
}

/** The ColdSpy output channel's text, from the log file VS Code keeps for it. */
function outputChannelText(logsDir) {
  return logText(logsDir, 'ColdSpy.log');
}

/**
 * The ColdSpy rows of the Problems panel as the user reads them: the message (the row's first line), the code
 * and the severity of its icon.
 */
async function problemsPanelFindings(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.markers-panel .monaco-list-row')]
      .filter((row) => row.querySelector('.marker-code') && /ColdSpy/.test(row.innerText))
      .map((row) => ({
        message: row.innerText.split('\n')[0].trim(),
        code: row.querySelector('.marker-code').textContent.trim(),
        severity: ['error', 'warning', 'info'].find((kind) => row.querySelector(`.codicon-${kind}`)) ?? 'hint',
      })),
  );
}

/** Relative luminance (0 black … 1 white) of a CSS `rgb(…)`/`rgba(…)` colour; a transparent one counts as NaN. */
function luminance(color) {
  const [r, g, b, a = 1] = (/rgba?\(([^)]+)\)/.exec(color)?.[1] ?? '').split(',').map(Number);
  if (!(a > 0)) {
    return NaN;
  }
  const linear = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * Ctrl+. where the cursor is, then the code action whose title matches `title` chosen with the keyboard (the
 * action widget's overlay intercepts clicks) and Enter; a screenshot of the menu is taken as `screenshotName`.
 */
async function applyQuickFix(page, title, screenshotName) {
  await page.keyboard.press('Control+.');
  await until('the code action menu', async () => {
    if (await page.locator('.monaco-editor-overlaymessage', { hasText: 'No code actions available' }).count()) {
      throw new Error('Ctrl+.: "No code actions available"');
    }
    return page.locator('.action-widget .monaco-list-row').count();
  }, 60000);
  const actions = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
  log('code actions:', JSON.stringify(actions));
  assert.ok(actions.some((a) => title.test(a)), `no ${title} among ${JSON.stringify(actions)}`);
  await until(`${title} to be focused`, async () => {
    const focused = await page.locator('.action-widget .monaco-list-row.focused').innerText().catch(() => '');
    if (title.test(focused)) {
      return true;
    }
    await page.keyboard.press('ArrowDown');
    return false;
  }, 10000);
  await screenshot(page, screenshotName);
  await page.keyboard.press('Enter');
}

/** The 1-based number of the first line of `file` that `matches`. */
function lineOf(file, matches) {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex(matches);
  assert.ok(index >= 0, `no line ${matches} in ${file}`);
  return index + 1;
}

/** The 1-based line of `def handler(` in a Python file. */
function handlerLine(file) {
  return lineOf(file, (l) => l.startsWith('def handler('));
}

/** Puts the cursor on `line` of the active editor (Ctrl+G), which scrolls it into view. */
async function goToLine(page, line) {
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 15000 });
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await until(`the cursor on line ${line}`, async () => (await page.locator('.statusbar-item').allInnerTexts()).some((t) => t.startsWith(`Ln ${line},`)), 15000);
}

/** Merges `figures` into test-artifacts/e2e/metrics.json (what the first-squiggle benchmark reads). */
function addMetrics(figures) {
  const file = path.join(ARTIFACTS, 'metrics.json');
  const metrics = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  fs.writeFileSync(file, JSON.stringify({ ...metrics, ...figures }, null, 2));
}

/**
 * The time from the click that opened a file (`openedAt`, see openFile) to its first squiggle, once that shows,
 * and where it went: VS Code's extension host log and the ColdSpy log put on the page's clock.
 */
async function firstSquiggle(host, openedAt) {
  const { page } = host;
  const squiggleAt = await until('the first squiggle', () => page.evaluate(() => window.coldspyFirstSquiggleAt), 120000, 50);
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  const breakdown = await until('the start-up line in the ColdSpy log', () => {
    try {
      return startupBreakdown({
        clickAt: timeOrigin + openedAt,
        squiggleAt: timeOrigin + squiggleAt,
        extensionHostLog: logText(host.logsDir, 'remoteexthost.log'),
        coldspyLog: outputChannelText(host.logsDir),
      });
    } catch {
      return undefined;
    }
  }, 30000);
  log(`first diagnostic visible ${breakdown.totalMs} ms after the file was opened (ColdSpy activated on ${breakdown.activationEvent}): ${describeBreakdown(breakdown)}`);
  return { firstDiagnosticMs: breakdown.totalMs, breakdown };
}

/** Ends a suite's host: a last screenshot, the ColdSpy output channel written to `outputName`, the host closed. */
async function closeHost(host, screenshotName, outputName) {
  await screenshot(host.page, screenshotName).catch(() => undefined);
  fs.writeFileSync(path.join(ARTIFACTS, outputName), outputChannelText(host.logsDir));
  await host.close();
}

/** The installation the first suite leaves behind (user data, extensions) for the later sessions' suites. */
let installation;

describe('ColdSpy in VS Code', { concurrency: false }, () => {
  let host;
  let workspace;
  let openedAt;

  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run \`npm run package\` first`);
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'coldspy-e2e-ws-'));
    scenario.prepareWorkspace(REPO, workspace);
    host = await openHost({ vsix: VSIX, workspace, artifacts: ARTIFACTS, keepState: true });
    installation = host.state;
    host.page.on('pageerror', (error) => log('page error:', error.message));
  });

  after(async () => {
    if (host) {
      fs.cpSync(host.logsDir, path.join(ARTIFACTS, 'vscode-logs'), { recursive: true });
      await closeHost(host, '9-last', 'coldspy-output.txt');
    }
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('starts with the workspace and shows its status item and output channel', async () => {
    const { page } = host;
    // The status item is there from activation on: "starting…" until the server reports the handler's cost.
    const status = page.locator('.statusbar-item', { hasText: /ColdSpy: starting…|init/ });
    openedAt = await openFile(page, scenario.file);
    await status.first().waitFor({ timeout: 30000 });
    await runCommand(page, 'ColdSpy: Show Server Log');
    // The Output panel shows the ColdSpy channel; its text is read from the file VS Code keeps for it.
    await page.locator('.part.panel select.monaco-select-box, .part.panel .monaco-select-box', { hasText: 'ColdSpy' }).first()
      .waitFor({ timeout: 15000 }).catch(() => page.locator('.part.panel [aria-label*="ColdSpy"]').first().waitFor({ timeout: 5000 }));
    const text = await until('the server start in the ColdSpy output channel', () => {
      const t = outputChannelText(host.logsDir);
      return t.includes(`[client] ColdSpy ${version}`) && /\[java\] .*: used/.test(t) && t;
    }, 30000);
    log('output channel:', JSON.stringify(text.split('\n').slice(0, 4)));
    log('status item:', JSON.stringify(await status.first().innerText()));
    await screenshot(page, '1-started');
  });

  it('shows the cost on the import line, explains it, and lazy-loads the import with Ctrl+.', async () => {
    const { page } = host;
    await page.keyboard.press('Control+Shift+M'); // the Problems panel replaces the output channel
    await page.locator('.tab.active', { hasText: path.basename(scenario.file) }).click();

    // 1. The squiggle under the expected import line (polling the DOM, as a user would look).
    await until('a squiggle on the import line', async () => {
      return page.evaluate((importText) => {
        const lines = [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')];
        const line = lines.find((l) => l.textContent.replace(/\u00a0/g, ' ').startsWith(importText));
        if (!line) {
          return false;
        }
        const top = parseFloat(line.style.top);
        const squiggles = [...document.querySelectorAll('.editor-instance .monaco-editor .view-overlays [class*="squiggly-"]')];
        return squiggles.some((s) => Math.abs(parseFloat(s.parentElement.style.top || s.style.top) - top) < 1) && true;
      }, scenario.importLine);
    }, 120000, 50); // a JVM start and a 1.4 MB profile on a busy 2-core machine can take a while
    // The first session after the installation: Java is looked for, the class-data archive is still to make.
    addMetrics(await firstSquiggle(host, openedAt));

    // The status bar shows the handler's init cost from the server's coldspy/status notification.
    const status = await until('the init cost in the status bar', async () => {
      const items = await page.locator('.statusbar-item').allInnerTexts();
      return items.find((t) => /\binit\b/.test(t));
    }, 60000);
    log('status item:', JSON.stringify(status));

    // 2. The inlay hint at the end of that line.
    const hint = await until('the inlay hint on the import line', async () => {
      const lines = await editorLines(page);
      const line = lines.find((l) => l.startsWith(scenario.importLine));
      return line && scenario.hint.test(line.slice(scenario.importLine.length)) && line;
    }, 120000);
    log('import line with hint:', JSON.stringify(hint));

    // 3. The Problems panel lists the finding with its code.
    const problem = await until('the finding in the Problems panel', async () => {
      const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
      return rows.find((r) => scenario.problem.test(r));
    }, 60000);
    log('problem:', JSON.stringify(problem));
    await screenshot(page, '2-diagnostic-and-hint');

    // Ruff-short and quiet: every ColdSpy message at most 120 characters, a warning at most by default.
    const findings = await problemsPanelFindings(page);
    log('findings in the Problems panel:', JSON.stringify(findings));
    for (const finding of findings) {
      assert.ok(finding.message.length <= 120, `a message of ${finding.message.length} characters: ${JSON.stringify(finding.message)}`);
      assert.notEqual(finding.severity, 'error', `an error by default: ${JSON.stringify(finding)}`);
    }
    assert.ok(findings.some((f) => f.severity === 'warning'), `no warning among ${JSON.stringify(findings)}`);
    assert.equal(await page.locator('.editor-instance .monaco-editor [class*="squiggly-error"]').count(), 0, 'a red squiggle by default');

    // Inlay hints only where there is something to say: none on a 0 ms import (`import io`).
    const lines = await editorLines(page);
    const zeroHints = lines.filter((l) => /⏱\s*0(\.0+)?\s*ms\b/.test(l));
    assert.deepEqual(zeroHints, [], 'inlay hints of 0 ms');
    assert.ok(lines.includes(scenario.quietImportLine), `${scenario.quietImportLine} has a hint: ${JSON.stringify(lines.find((l) => l.startsWith(scenario.quietImportLine)))}`);

    // 4. The hover on the module name explains the cost.
    const moduleName = page.locator('.editor-instance .view-line span', { hasText: scenario.hoverOn }).first();
    await moduleName.hover();
    const hover = await until('the hover', async () => {
      const text = await page.locator('.monaco-hover:not(.hidden)').allInnerTexts();
      return text.find((t) => scenario.hover.test(t));
    }, 60000);
    log('hover:', JSON.stringify(hover.slice(0, 300)));
    // VS Code shows the diagnostic above ColdSpy's own part; that part starts with its table and never repeats it.
    const message = findings.find((f) => f.message.includes(scenario.hoverOn))?.message;
    assert.ok(message, `no finding on ${scenario.hoverOn} among ${JSON.stringify(findings)}`);
    const ownPart = await page.evaluate(() => {
      const parts = [...document.querySelectorAll('.monaco-hover:not(.hidden) .rendered-markdown')].filter((p) => p.textContent.includes('ColdSpy'));
      const part = parts.find((p) => p.querySelector('table'));
      if (!part) {
        return undefined;
      }
      const blocks = [...part.children].filter((c) => c.textContent.trim());
      return { text: part.textContent, blocks: blocks.map((b) => b.tagName), firstTable: blocks.findIndex((b) => b.tagName === 'TABLE' || b.querySelector('table')) };
    });
    log("ColdSpy's part of the hover:", JSON.stringify(ownPart && { blocks: ownPart.blocks, firstTable: ownPart.firstTable }));
    assert.ok(ownPart, "no table in ColdSpy's part of the hover");
    assert.ok(ownPart.firstTable <= 1, `the table comes after ${ownPart.firstTable} blocks (${ownPart.blocks.join(', ')}): at most a title line before it`);
    assert.ok(!ownPart.text.includes(message), `the hover repeats the diagnostic ${JSON.stringify(message)}`);
    await screenshot(page, '3-hover');
    await page.keyboard.press('Escape');

    // 5. Ctrl+. on the import line, pick the lazy-load fix with the keyboard, Enter.
    await moduleName.click();
    await applyQuickFix(page, scenario.quickFix, '4-quick-fix-menu');

    // 6. The edit is in the editor; saved, the file on disk has the import inside the function.
    await until('the import line to leave the top of the file', async () => {
      const lines = await editorLines(page);
      return !lines.some((l) => l === scenario.importLine);
    }, 60000);
    await page.keyboard.press('Control+S');
    const fixed = await until('the saved file', async () => {
      const text = fs.readFileSync(path.join(workspace, scenario.file), 'utf8');
      return scenario.fixedText(text) && text;
    }, 60000);
    fs.writeFileSync(path.join(ARTIFACTS, 'fixed-' + path.basename(scenario.file)), fixed);
    await screenshot(page, '5-fixed');
  });

  it('shows the report in a webview, whose file:line links open the editor at the line', async () => {
    const { page } = host;
    // The cursor goes to line 1 first, so that only the link's click can put it on the import's line.
    await page.locator('.tab', { hasText: path.basename(scenario.file) }).first().click();
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    await until('the cursor on line 1', async () => (await page.locator('.statusbar-item').allInnerTexts()).some((t) => /^Ln 1, Col 1\b/.test(t)), 10000);
    await runCommand(page, 'ColdSpy: Show Report');
    // The webview's page is in an iframe (the report) inside VS Code's webview iframe.
    const report = page.frameLocator('iframe.webview').frameLocator('#active-frame');
    const rows = report.locator('#imports-table tbody tr');
    await rows.first().waitFor({ timeout: 120000 }); // the jar builds the report first
    log(`report: ${await rows.count()} import statements`);
    // The report follows the editor's theme (code-server's default is dark) and fills the panel's width.
    const editorBackground = await page.evaluate(() => getComputedStyle(document.querySelector('.monaco-editor-background')).backgroundColor);
    const look = await report.locator('body').evaluate((body) => ({
      background: getComputedStyle(body).backgroundColor,
      color: getComputedStyle(body).color,
      tableWidth: document.querySelector('#imports-table').getBoundingClientRect().width,
      viewWidth: document.documentElement.clientWidth,
    }));
    log('report look:', JSON.stringify({ editorBackground, ...look }));
    assert.ok(luminance(editorBackground) < 0.2, `the editor's theme is not dark: ${editorBackground}`);
    assert.ok(luminance(look.background) < 0.2 && luminance(look.color) > 0.5, `a light report in a dark editor: ${JSON.stringify(look)}`);
    assert.ok(look.tableWidth >= 0.9 * look.viewWidth, `the statements table is ${Math.round(look.tableWidth)} px wide in a ${look.viewWidth} px panel`);
    const link = report.locator('#imports-table a[data-file][data-line]').first();
    const file = await link.getAttribute('data-file');
    const line = Number(await link.getAttribute('data-line'));
    assert.ok(line > 1, `the first link of the report points to line ${line}: choose a fixture whose imports are not on line 1`);
    log('report link:', JSON.stringify(await link.innerText()));
    await screenshot(page, '7-report');

    await link.click();

    await page.locator('.tab.active', { hasText: path.basename(file) }).waitFor({ timeout: 30000 });
    const cursor = await until(`the cursor on line ${line}`, async () => {
      const items = await page.locator('.statusbar-item').allInnerTexts();
      return items.find((t) => new RegExp(`^Ln ${line}, Col 1\\b`).test(t));
    }, 30000);
    log('after the click:', path.basename(file), JSON.stringify(cursor));
    await screenshot(page, '8-report-link-opened');
  });

  it('writes the class-data archive when the server exits, and the restarted server maps it', async () => {
    const { page } = host;
    const firstStart = outputChannelText(host.logsDir);
    await runCommand(page, 'ColdSpy: Restart Server');
    const text = await until('the restarted server with the archive, and its first findings', () => {
      const t = outputChannelText(host.logsDir).slice(firstStart.length);
      return /wrote the class-data archive/.test(t) && /-XX:SharedArchiveFile=/.test(t) && /the first findings .* came \d+ ms/.test(t) && t;
    }, 120000);
    assert.doesNotMatch(text, /did not use the class-data archive/);
    const ms = (pattern, log) => Number(pattern.exec(log)?.[1]);
    const metrics = {
      firstStart: {
        initializeMs: ms(/answered initialize (\d+) ms/, firstStart),
        firstFindingsMs: ms(/the first findings .* came (\d+) ms/, firstStart),
      },
      restartWithArchive: {
        initializeMs: ms(/answered initialize (\d+) ms/, text),
        firstFindingsMs: ms(/the first findings .* came (\d+) ms/, text),
      },
    };
    addMetrics(metrics);
    log('server start, first and restarted with the archive:', JSON.stringify(metrics));
    await until('the squiggle back in the editor', () => page.locator('.editor-instance .monaco-editor [class*="squiggly-"]').count(), 60000);
    await screenshot(page, '8b-restarted-with-archive');
  });
});

/**
 * A later session `name` of the installation the first suite left, on a fresh copy of the fixture (`workspaceOptions`
 * of scenario.prepareWorkspace). With `keepState` the installation stays for a further session. Returns { host,
 * close }: close() ends the host (last screenshot, output channel in coldspy-output-<name>.txt) and deletes the copy.
 */
async function openLaterSession(name, { keepState = false, ...workspaceOptions } = {}) {
  assert.ok(installation && fs.existsSync(installation), 'the first suite left no installation behind');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), `coldspy-e2e-${name}-`));
  const removeWorkspace = () => fs.rmSync(workspace, { recursive: true, force: true });
  try {
    scenario.prepareWorkspace(REPO, workspace, workspaceOptions);
    const host = await openHost({ vsix: VSIX, workspace, artifacts: ARTIFACTS, name, state: installation, keepState });
    const close = () => closeHost(host, `9-${name}-last`, `coldspy-output-${name}.txt`).finally(removeWorkspace);
    return { host, close };
  } catch (error) {
    removeWorkspace();
    throw error;
  }
}

describe('ColdSpy in a later session of the same installation', { concurrency: false }, () => {
  let session;
  before(async () => (session = await openLaterSession('later-session', { keepState: true })));

  after(() => session?.close());

  it('opens a file to its first squiggle with the class-data archive and the Java of the first session', async () => {
    const openedAt = await openFile(session.host.page, scenario.file);
    const laterSession = await firstSquiggle(session.host, openedAt);
    assertArchiveUsed(session.host, 'the later session');
    addMetrics({ laterSession });
    await screenshot(session.host.page, '9b-later-session');
  });
});

/** Fails unless the server of `host`'s session mapped the class-data archive a former session wrote. */
function assertArchiveUsed(host, sessionName) {
  const startLine = outputChannelText(host.logsDir).split('\n').find((l) => l.includes('[client] first findings'));
  assert.match(startLine, /archive: used/, `${sessionName} did not map the class-data archive the first session wrote`);
}

const EXTENSION_HOST_STARTED = /Extension host with pid \d+ started/;

/**
 * Returns once the window is up as a user finds it before opening a file: VS Code's extension host has started
 * (its log line, the one startupBreakdown reads), its log has been quiet for a second (the extensions that start
 * with the window are active) and the page is idle. ColdSpy must not be active yet: nothing has opened a Python file.
 */
async function windowUp(host) {
  const hostLog = () => logText(host.logsDir, 'remoteexthost.log');
  await until("the extension host's start", () => EXTENSION_HOST_STARTED.test(hostLog()), 120000);
  let seenLog = hostLog();
  let quietSince = Date.now();
  await until('a quiet extension host log', () => {
    const now = hostLog();
    if (now !== seenLog) {
      seenLog = now;
      quietSince = Date.now();
    }
    return Date.now() - quietSince >= 1000;
  }, 60000);
  await host.page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 5000 })));
  assert.doesNotMatch(hostLog(), /_doActivateExtension coldspy\.coldspy/, 'ColdSpy was activated before a Python file was opened');
}

describe('ColdSpy when a file is opened in a window that is already up', { concurrency: false }, () => {
  let session;
  before(async () => (session = await openLaterSession('window-up', { outsideActivationGlobs: true })));

  after(async () => {
    await session?.close();
    fs.rmSync(installation, { recursive: true, force: true });
  });

  it("opens a file to its first squiggle without waiting for VS Code's own start", async () => {
    await windowUp(session.host);
    const openedAt = await openFile(session.host.page, scenario.file);
    const windowAlreadyUp = await firstSquiggle(session.host, openedAt);
    assert.equal(windowAlreadyUp.breakdown.activationEvent, 'onLanguage:python');
    const hostStart = windowAlreadyUp.breakdown.steps.find(({ step }) => step === 'VS Code starts its extension host');
    assert.equal(hostStart.ms, 0, 'the extension host started after the click');
    assertArchiveUsed(session.host, 'the session of the window already up');
    addMetrics({ windowAlreadyUp });
    await screenshot(session.host.page, '9d-window-up');
  });
});

/**
 * Runs in the page before VS Code's scripts: records, in window.coldspySeen, every distinct text of a ColdSpy
 * status bar item (in order) and of every notification, so that short-lived states ("starting…", a progress
 * notification of a run that fails fast) are seen however fast they pass.
 */
function recordStatusAndNotifications() {
  window.coldspySeen = { status: [], notifications: [] };
  let scheduled = false;
  const scan = () => {
    scheduled = false;
    const seen = window.coldspySeen;
    for (const item of document.querySelectorAll('.statusbar-item')) {
      const text = item.textContent.trim();
      if (text.includes('ColdSpy') && seen.status[seen.status.length - 1] !== text) {
        seen.status.push(text);
      }
    }
    for (const message of document.querySelectorAll('.notification-list-item-message')) {
      const text = message.textContent.trim();
      if (text && !seen.notifications.includes(text)) {
        seen.notifications.push(text);
      }
    }
  };
  new MutationObserver(() => {
    if (!scheduled) {
      scheduled = true;
      setTimeout(scan, 20);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

const seen = (page) => page.evaluate(() => window.coldspySeen);

/** Picks the handler whose quick-pick row matches `filter` and accepts the events preselected for it. */
async function pickHandlerAndEvents(page, filter) {
  await page.locator('.quick-input-title', { hasText: 'ColdSpy: Profile Handler (1/2)' }).waitFor({ timeout: 60000 });
  const rows = await page.locator('.quick-input-list .monaco-list-row').allTextContents();
  await page.keyboard.type(filter);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: filter }).waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-title', { hasText: 'ColdSpy: Profile Handler (2/2)' }).waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');
  return rows;
}

describe('ColdSpy on a project without a profile', { concurrency: false, skip: process.env.COLDSPY_E2E_FIRST_RUN === '0' }, () => {
  const { firstRun } = scenario;
  let host;
  let workspace;

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'coldspy-e2e-first-run-'));
    firstRun.prepareWorkspace(REPO, workspace);
    host = await openHost({ vsix: VSIX, workspace, artifacts: ARTIFACTS, name: 'first-run', initScript: recordStatusAndNotifications });
  });

  after(async () => {
    if (host) {
      log('first run, seen:', JSON.stringify(await seen(host.page).catch(() => undefined)));
      await closeHost(host, '19-first-run-last', 'coldspy-output-first-run.txt');
    }
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('says "starting…" while the server starts, then offers "Profile cold starts…"', async () => {
    const { page } = host;
    await openFile(page, firstRun.file);
    const callToAction = page.locator('.statusbar-item', { hasText: 'ColdSpy: Profile cold starts…' });
    await callToAction.waitFor({ timeout: 120000 });
    // The recorder of status texts runs after a batch of DOM mutations: wait until it has this one too.
    await page.waitForFunction(() => window.coldspySeen.status.includes('ColdSpy: Profile cold starts…'), null,
      { timeout: 10000 });
    const { status } = await seen(page);
    log('status item texts:', JSON.stringify(status));
    const starting = status.indexOf('ColdSpy: starting…');
    assert.ok(starting >= 0, `"ColdSpy: starting…" was never shown: ${JSON.stringify(status)}`);
    assert.ok(starting < status.indexOf('ColdSpy: Profile cold starts…'), `"starting…" came after the call to action: ${JSON.stringify(status)}`);
    assert.ok(!status.some((t) => /no profile/.test(t)), `the old "no profile" text: ${JSON.stringify(status)}`);
    // The same offer as a code lens above the handler function of the open file.
    await goToLine(page, handlerLine(path.join(workspace, firstRun.file)));
    await page.locator('.editor-instance .codelens-decoration', { hasText: 'Profile cold starts…' }).first().waitFor({ timeout: 60000 });
    await screenshot(page, '10-no-profile-call-to-action');
  });

  it('profiles from the status item; a handler that fails gives one error whose "Show Log" shows the traceback', async () => {
    const { page } = host;
    await page.locator('.statusbar-item', { hasText: 'ColdSpy: Profile cold starts…' }).click();
    const rows = await pickHandlerAndEvents(page, firstRun.brokenFile);
    log('handler picker:', JSON.stringify(rows));
    assert.ok(rows.some((r) => r.includes(`${firstRun.file}:`)), `the handler is not offered: ${JSON.stringify(rows)}`);
    // rules/__init__.py has one function taking two parameters, the decorator factory rule(logs, context=None).
    const factory = rows.find((r) => r.includes(`${firstRun.decoratorFactoryFile}:`));
    assert.equal(factory, undefined, `the decorator factory ${firstRun.decoratorFactory}() is offered as a handler`);

    const failure = page.locator('.notification-list-item', { hasText: firstRun.failure });
    await failure.first().waitFor({ timeout: 120000 });
    await screenshot(page, '11-profiling-failed');
    const { notifications } = await seen(page);
    log('notifications:', JSON.stringify(notifications));
    assert.ok(notifications.some((n) => /^ColdSpy: profiling broken\.py:handler\b/.test(n)), `no progress notification: ${JSON.stringify(notifications)}`);
    const coldSpyNotices = notifications.filter((n) => /ColdSpy/.test(n) && !/^ColdSpy: profiling /.test(n));
    assert.equal(coldSpyNotices.length, 1, `one message for the failed run, got ${JSON.stringify(coldSpyNotices)}`);
    assert.ok(!notifications.some((n) => /^ColdSpy: profiling \//.test(n)), `a progress item with an absolute path: ${JSON.stringify(notifications)}`);

    await failure.first().locator('.monaco-button', { hasText: 'Show Log' }).click();
    await page.locator('.part.panel .monaco-select-box, .part.panel select', { hasText: 'ColdSpy' }).first().waitFor({ timeout: 15000 });
    const text = await until('the traceback in the ColdSpy log', () => {
      const t = outputChannelText(host.logsDir);
      return t.includes('the profiler printed:') && t.includes(firstRun.traceback) && t;
    }, 30000);
    log('log after "Show Log":', JSON.stringify(text.slice(text.lastIndexOf('[profile]')).slice(0, 300)));
    await screenshot(page, '12-failure-log');
  });

  it('profiles the handler with a progress notification; the findings and the cost appear, with no toast', async () => {
    const { page } = host;
    await runCommand(page, 'Notifications: Clear All Notifications');
    const before = (await seen(page)).notifications.length;
    await runCommand(page, 'ColdSpy: Profile Handler…');
    await pickHandlerAndEvents(page, `${firstRun.file}:`);
    await page.locator('.notification-list-item', { hasText: /ColdSpy: profiling handler\.py:handler/ }).first().waitFor({ timeout: 60000 });
    await screenshot(page, '13-profiling-progress');
    const status = await until('the init cost in the status bar', async () => {
      const items = await page.locator('.statusbar-item').allTextContents();
      return items.find((t) => /\binit\b/.test(t));
    }, 180000);
    log('status item after profiling:', JSON.stringify(status.trim()));
    await page.keyboard.press('Control+Shift+M');
    const problem = await until('a finding in the Problems panel', async () => {
      const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
      return rows.find((r) => /CS1\d\d/.test(r));
    }, 60000);
    log('problem after profiling:', JSON.stringify(problem));
    const after = (await seen(page)).notifications.slice(before);
    log('notifications of the run:', JSON.stringify(after));
    assert.ok(after.some((n) => /^ColdSpy: profiling handler\.py:handler/.test(n)), `no progress notification: ${JSON.stringify(after)}`);
    const coldStartProgress = new RegExp(`cold start [1-${firstRun.coldStarts}] of ${firstRun.coldStarts}\\b`);
    assert.ok(after.some((n) => coldStartProgress.test(n)), `no "cold start k of ${firstRun.coldStarts}" progress: ${JSON.stringify(after)}`);
    assert.ok(!after.some((n) => /could not profile|profiled/i.test(n)), `a message besides the progress: ${JSON.stringify(after)}`);
    await screenshot(page, '14-profiled');
  });

  it('takes the slow import out with its quick fix; "ColdSpy: Verify Fixes" proves it on the handler', async () => {
    const { page } = host;
    await page.locator('.tab', { hasText: firstRun.file }).first().click();
    const slowImportLine = `import ${firstRun.slowModule}`;
    await goToLine(page, lineOf(path.join(workspace, firstRun.file), (l) => l === slowImportLine));
    const slowImport = page.locator('.editor-instance .view-line span', { hasText: firstRun.slowModule }).first();
    await slowImport.click();
    await applyQuickFix(page, firstRun.slowFix, '15-quick-fix-menu');
    await until('the slow import to leave the top of the file', async () => !(await editorLines(page)).includes(slowImportLine), 60000);
    await page.keyboard.press('Control+S');
    await until('the saved file', () => !fs.readFileSync(path.join(workspace, firstRun.file), 'utf8').split('\n').includes(slowImportLine), 30000);

    const before = (await seen(page)).notifications.length;
    await runCommand(page, 'ColdSpy: Verify Fixes');
    // Whatever the verification ends with (a verdict or a failure) is recorded, so that a wrong one fails at
    // once and names itself instead of timing out on the one expected.
    const ended = (n) => /verified:|slower:|no significant change|cannot verify|could not verify|cancelled/i.test(n);
    let notifications = [];
    try {
      await until('the end of the verification', async () => {
        notifications = (await seen(page)).notifications.slice(before);
        return notifications.some(ended);
      }, 300000, 250);
    } finally {
      log('notifications of the verification:', JSON.stringify(notifications));
    }
    assert.ok(notifications.some((n) => firstRun.verified.test(n)),
      `the verification did not verify the fix: ${JSON.stringify(notifications.filter(ended))}; server log:\n`
      + outputChannelText(host.logsDir).split('\n').filter((l) => /verif|cannot/i.test(l)).slice(-10).join('\n'));
    assert.ok(notifications.some((n) => /cold start \d+ of \d+/.test(n)), `no "cold start k of N" progress: ${JSON.stringify(notifications)}`);
    await goToLine(page, handlerLine(path.join(workspace, firstRun.file)));
    const lens = page.locator('.editor-instance .codelens-decoration', { hasText: firstRun.verified });
    await lens.first().waitFor({ timeout: 60000 });
    log('code lens on the handler:', JSON.stringify(await lens.first().innerText()));
    await screenshot(page, '16-verified');
  });
});

describe('ColdSpy in an untrusted workspace', { concurrency: false, skip: process.env.COLDSPY_E2E_UNTRUSTED === '0' }, () => {
  let host;
  let workspace;

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'coldspy-e2e-untrusted-'));
    scenario.prepareWorkspace(REPO, workspace);
    host = await openHost({ vsix: VSIX, workspace, artifacts: ARTIFACTS, untrusted: true });
  });

  after(async () => {
    if (host) {
      await closeHost(host, '9-untrusted-last', 'coldspy-output-untrusted.txt');
    }
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('shows the profile data but refuses to run the profiler', async () => {
    const { page } = host;
    await openFile(page, scenario.file);
    await until('a squiggle in restricted mode', () => page.locator('.editor-instance .monaco-editor [class*="squiggly-"]').count(), 120000);
    await runCommand(page, 'ColdSpy: Profile Handler…');
    const warning = page.locator('.notification-list-item', { hasText: 'ColdSpy does not profile in an untrusted workspace' }).first();
    await warning.waitFor({ timeout: 30000 });
    assert.match(outputChannelText(host.logsDir), /workspace NOT trusted: the profiler is disabled/);
    await screenshot(page, '6-untrusted-refuses-to-profile');
  });
});
