// A real VS Code host for the end-to-end test: a fresh code-server instance (installed by
// install-code-server.sh) with the ColdSpy .vsix installed, driven by playwright-core in Debian's Chromium.
// Every wait polls for a condition; none is a fixed sleep.
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const VSHOST_DIR = process.env.COLDSPY_VSHOST_DIR || path.join(os.homedir(), '.cache', 'coldspy', 'vscode-host');
const CODE_SERVER = path.join(VSHOST_DIR, 'cs', 'bin', 'code-server');
const CHROMIUM = process.env.COLDSPY_CHROMIUM || '/usr/bin/chromium';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function until(what, condition, timeoutMs, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

async function healthy(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Starts code-server with `vsix` installed and opens `workspace` in Chromium; with `untrusted`, workspace trust
 * is on and the workspace is opened in restricted mode; `initScript` runs in the page before VS Code's own
 * scripts (to record what appears from the first moment on); `name` names its log. Returns { page, logsDir,
 * state, close }. State (user data, extensions) lives in a throw-away folder under VSHOST_DIR, deleted on close
 * unless `keepState`; `state` (that of an earlier host closed with keepState) opens a later session of the same
 * installation: its global storage (the server's class-data archive, the remembered Java) and the installed
 * extension as they were. code-server's log goes to `artifacts`.
 */
async function openHost({ vsix, workspace, artifacts, untrusted = false, name = untrusted ? 'untrusted' : undefined, initScript, state, keepState = false }) {
  if (!fs.existsSync(CODE_SERVER)) {
    throw new Error(`${CODE_SERVER} is missing: run e2e/install-code-server.sh first`);
  }
  fs.mkdirSync(path.join(VSHOST_DIR, 'tmp'), { recursive: true });
  const run = state ?? fs.mkdtempSync(path.join(VSHOST_DIR, 'tmp', 'run-'));
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(run, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(run, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(run, 'xdg', 'cache'),
    TMPDIR: path.join(VSHOST_DIR, 'tmp'),
  };
  fs.mkdirSync(path.join(run, 'data', 'User'), { recursive: true });
  const settings = JSON.parse(fs.readFileSync(path.join(__dirname, 'user-settings.json'), 'utf8'));
  settings['security.workspace.trust.enabled'] = untrusted;
  fs.writeFileSync(path.join(run, 'data', 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const port = await freePort();
  fs.writeFileSync(path.join(run, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const csArgs = ['--config', path.join(run, 'config.yaml'), '--user-data-dir', path.join(run, 'data'), '--extensions-dir', path.join(run, 'ext')];
  if (state) {
    // logsDir holds this session's logs only (the earlier session's were copied by whoever needed them).
    fs.rmSync(path.join(run, 'data', 'logs'), { recursive: true, force: true });
  } else {
    execFileSync(CODE_SERVER, [...csArgs, '--install-extension', vsix], { env, stdio: 'pipe' });
  }

  const serverLog = fs.openSync(path.join(artifacts, name ? `code-server-${name}.log` : 'code-server.log'), 'w');
  const trustFlag = untrusted ? [] : ['--disable-workspace-trust'];
  // COLDSPY_E2E_TRACE=1 logs at trace level, which puts the JSON-RPC trace (coldspy.trace.server) into the
  // ColdSpy output channel's log (code-server takes only one level for all logs).
  const traceFlag = process.env.COLDSPY_E2E_TRACE === '1' ? ['--log', 'trace'] : [];
  const codeServer = spawn(
    CODE_SERVER,
    [...csArgs, ...traceFlag, '--disable-telemetry', '--disable-update-check', ...trustFlag, '--disable-getting-started-override', workspace],
    { env, detached: true, stdio: ['ignore', serverLog, serverLog] },
  );
  const ended = new Promise((resolve) => codeServer.once('exit', resolve));
  /** Ends code-server's process group and waits (up to 20 s) for code-server itself to end. */
  const stopServer = async () => {
    try {
      process.kill(-codeServer.pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 20000))]);
  };
  let context;
  try {
    let exited;
    codeServer.once('exit', (code) => (exited = code));
    await until('code-server to answer /healthz', async () => {
      if (exited !== undefined) {
        throw new Error(`code-server exited with status ${exited}; see ${path.join(artifacts, 'code-server*.log')}`);
      }
      return healthy(port);
    }, 30000, 200);
    // The browser keeps the workbench's storage (the extension's globalState): a later session reuses it.
    const browserProfile = path.join(run, 'chromium');
    fs.mkdirSync(browserProfile, { recursive: true });
    context = await chromium.launchPersistentContext(browserProfile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 850 },
    });
    if (initScript) {
      await context.addInitScript(initScript);
    }
    const page = context.pages()[0] || (await context.newPage());
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    if (untrusted) {
      // VS Code asks whether to trust the folder's authors: answer no (restricted mode).
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: "No, I don't trust the authors" }).click({ timeout: 60000 });
    }
    await page.waitForSelector('.explorer-folders-view', { timeout: 60000 });
    return {
      page,
      state: run,
      /** The log files VS Code writes, output channels included (exthost folder, one file per channel). */
      logsDir: path.join(run, 'data', 'logs'),
      close: async () => {
        await context.close().catch(() => undefined);
        await stopServer();
        if (!keepState) {
          fs.rmSync(run, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await context?.close().catch(() => undefined);
    await stopServer();
    throw error;
  }
}

/** The editor's visible lines in document order (Monaco renders them out of order, with NBSPs). */
async function editorLines(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.monaco-editor .view-lines .view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => line.textContent.replace(/\u00a0/g, ' ')),
  );
}

/** Runs a command from the command palette by its title. */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 15000 });
  await page.keyboard.type(title);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
}

module.exports = { openHost, editorLines, runCommand, until };
