// End-to-end test of the ColdSpy extension in a real VS Code (code-server) driven by Chromium.
// Run by e2e/run-e2e.sh; screenshots and logs go to vscode-client/test-artifacts/e2e/.
//   COLDSPY_VSIX            the .vsix to install (default: dist/coldspy-<version>.vsix)
//   COLDSPY_E2E_UNTRUSTED   =0: skip the untrusted-workspace suite (the benchmark does)
'use strict';
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { after, before, describe, it } = require('node:test');
const { editorLines, openHost, runCommand, until } = require('./host');
const scenario = require('./scenario');

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

/** The ColdSpy output channel's text, from the log file VS Code keeps for it. */
function outputChannelText(logsDir) {
  const find = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? find(full) : entry.name === 'ColdSpy.log' ? [full] : [];
    });
  return fs.existsSync(logsDir) ? find(logsDir).map((file) => fs.readFileSync(file, 'utf8')).join('') : '';
}

describe('ColdSpy in VS Code', { concurrency: false }, () => {
  let host;
  let workspace;
  let openedAt;

  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run \`npm run package\` first`);
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'coldspy-e2e-ws-'));
    scenario.prepareWorkspace(REPO, workspace);
    host = await openHost({ vsix: VSIX, workspace, artifacts: ARTIFACTS });
    host.page.on('pageerror', (error) => log('page error:', error.message));
  });

  after(async () => {
    if (host) {
      await screenshot(host.page, '9-last').catch(() => undefined);
      fs.writeFileSync(path.join(ARTIFACTS, 'coldspy-output.txt'), outputChannelText(host.logsDir));
      fs.cpSync(host.logsDir, path.join(ARTIFACTS, 'vscode-logs'), { recursive: true });
      await host.close();
    }
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('starts with the workspace and shows its status item and output channel', async () => {
    const { page } = host;
    // The status item is there from activation on: "no profile" until the server reports the handler's cost.
    const status = page.locator('.statusbar-item', { hasText: /ColdSpy: no profile|init/ });
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
    const firstDiagnosticMs = Math.round((await page.evaluate(() => window.coldspyFirstSquiggleAt)) - openedAt);
    log(`first diagnostic visible ${firstDiagnosticMs} ms after the file was opened`);
    fs.writeFileSync(path.join(ARTIFACTS, 'metrics.json'), JSON.stringify({ firstDiagnosticMs }, null, 2));

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

    // 4. The hover on the module name explains the cost.
    const moduleName = page.locator('.editor-instance .view-line span', { hasText: scenario.hoverOn }).first();
    await moduleName.hover();
    const hover = await until('the hover', async () => {
      const text = await page.locator('.monaco-hover:not(.hidden)').allInnerTexts();
      return text.find((t) => scenario.hover.test(t));
    }, 60000);
    log('hover:', JSON.stringify(hover.slice(0, 300)));
    await screenshot(page, '3-hover');
    await page.keyboard.press('Escape');

    // 5. Ctrl+. on the import line, pick the lazy-load fix with the keyboard, Enter.
    await moduleName.click();
    await page.keyboard.press('Control+.');
    await until('the code action menu', async () => {
      if (await page.locator('.monaco-editor-overlaymessage', { hasText: 'No code actions available' }).count()) {
        throw new Error('Ctrl+. on the import line: "No code actions available"');
      }
      return page.locator('.action-widget .monaco-list-row').count();
    }, 60000);
    const actions = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
    log('code actions:', JSON.stringify(actions));
    assert.ok(actions.some((a) => scenario.quickFix.test(a)), `no ${scenario.quickFix} among ${JSON.stringify(actions)}`);
    await until(`${scenario.quickFix} to be focused`, async () => {
      const focused = await page.locator('.action-widget .monaco-list-row.focused').innerText().catch(() => '');
      if (scenario.quickFix.test(focused)) {
        return true;
      }
      await page.keyboard.press('ArrowDown');
      return false;
    }, 10000);
    await screenshot(page, '4-quick-fix-menu');
    await page.keyboard.press('Enter');

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
      await screenshot(host.page, '9-untrusted-last').catch(() => undefined);
      fs.writeFileSync(path.join(ARTIFACTS, 'coldspy-output-untrusted.txt'), outputChannelText(host.logsDir));
      await host.close();
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
