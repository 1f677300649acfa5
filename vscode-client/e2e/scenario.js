// What the end-to-end test opens and expects: a fixture app with its golden profile, and the import line that
// profile makes costly. Fixture apps live in fixtures/apps/<app>/, golden profiles in fixtures/profiles/.
'use strict';
const fs = require('fs');
const path = require('path');

const app = 'data_science';
// pyarrow is imported at start-up but only used when a request asks for a Parquet export: rarely used.
const importLine = 'import pyarrow.parquet as pq';

/**
 * The first run: a project without a profile. rules_engine's rules/__init__.py holds a decorator factory
 * `rule(logs, context=None)` that the handler picker must not offer; the test adds broken.py, a handler whose
 * import fails, for the failure path, and to handler.py an import of boto3 (installed with the audit_forwarder
 * fixture's requirements) used only by a function no event reaches: a heavy import whose lazy-load "Verify Fixes"
 * then proves.
 */
const firstRun = {
  app: 'rules_engine',
  file: 'handler.py',
  decoratorFactory: 'rule',
  decoratorFactoryFile: 'rules/__init__.py',
  brokenFile: 'broken.py',
  brokenText: 'import json\nimport nonexistent_module_xyz\n\n\ndef handler(event, context):\n    return json.dumps(event)\n',
  /** The one error the failed run shows. */
  failure: /ColdSpy could not profile broken\.py:handler: importing broken\.py raised ModuleNotFoundError/,
  /** What the log must hold after "Show Log": the profiler's output with the traceback's last line. */
  traceback: "ModuleNotFoundError: No module named 'nonexistent_module_xyz'",
  coldStarts: 2,
  slowModule: 'boto3',
  slowUser:
    '\n\ndef archive_alerts(alerts, bucket):\n' +
    '    """Stores alerts in S3 (the weekly archive job calls this; no event of the handler does)."""\n' +
    '    return boto3.client("s3").put_object(Bucket=bucket, Key="alerts.json", Body=json.dumps(alerts))\n',
  /** The quick fix that takes the slow import out of the module level. */
  slowFix: /ColdSpy: Lazy-load `boto3` in `archive_alerts\(\)`/i,
  /** What Verify Fixes says of that fix, on the handler's code lens and in its message. */
  verified: /verified: −\d+(\.\d+)? ms per cold start \(−\d+ %\), outputs identical/,

  /** Copies the app without any profile, adds broken.py and sets the cold starts per run. */
  prepareWorkspace(repo, workspace) {
    fs.cpSync(path.join(repo, 'fixtures', 'apps', firstRun.app), workspace, { recursive: true });
    fs.rmSync(path.join(workspace, '.coldspy'), { recursive: true, force: true });
    fs.writeFileSync(path.join(workspace, firstRun.brokenFile), firstRun.brokenText);
    const handler = path.join(workspace, firstRun.file);
    const text = fs.readFileSync(handler, 'utf8');
    if (!/^import json$/m.test(text)) {
      throw new Error(`${handler} has no "import json" line to put the slow import after`);
    }
    fs.writeFileSync(handler, text.replace(/^import json$/m, `import json\nimport ${firstRun.slowModule}`) + firstRun.slowUser);
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'coldspy.profiler.coldStarts': firstRun.coldStarts }));
  },
};

module.exports = {
  firstRun,
  app,
  file: 'handler.py',
  importLine,
  /** An import that costs nothing measurable: no inlay hint. */
  quietImportLine: 'import io',
  /** Text the server appends to the import line as an inlay hint (cost and samples). */
  hint: /\d(\.\d+)?\s*(ms|s)\b/,
  /** The Problems panel row of the finding. */
  problem: /CS10\d/,
  /** What the hover on the module name must mention. */
  hoverOn: 'pyarrow',
  hover: /pyarrow/,
  /** The title of the quick-fix to apply (the server names the name it moves and the function it moves it to). */
  quickFix: /lazy-load `pq` in `export_parquet\(\)`/i,
  /** After the fix, the import is no longer at module level but inside the function that uses it. */
  fixedText: (text) => !text.split('\n').includes(importLine) && text.split('\n').some((l) => /^\s+import pyarrow\.parquet as pq$/.test(l)),

  /**
   * Copies the fixture app and its golden profile(s) into `workspace` (profiles under .coldspy/profiles/).
   * With `outsideActivationGlobs`, the profiles go to cold-start-profiles/ instead, named by the
   * `coldspy.profiles` setting of .vscode/settings.json: no `workspaceContains` activation event of the
   * extension matches such a workspace, so ColdSpy starts only when a Python file opens (onLanguage:python).
   */
  prepareWorkspace(repo, workspace, { outsideActivationGlobs = false } = {}) {
    const appDir = path.join(repo, 'fixtures', 'apps', app);
    const profilesDir = path.join(repo, 'fixtures', 'profiles');
    if (!fs.existsSync(path.join(appDir, 'handler.py'))) {
      throw new Error(`the fixture app ${path.relative(repo, appDir)} is missing`);
    }
    const profiles = fs.existsSync(profilesDir) ? fs.readdirSync(profilesDir).filter((f) => f.startsWith(app) && f.endsWith('.json')) : [];
    if (profiles.length === 0) {
      throw new Error(`no golden profile ${path.relative(repo, profilesDir)}/${app}*.json`);
    }
    fs.cpSync(appDir, workspace, { recursive: true });
    const profilesIn = outsideActivationGlobs ? 'cold-start-profiles' : path.join('.coldspy', 'profiles');
    fs.mkdirSync(path.join(workspace, profilesIn), { recursive: true });
    for (const profile of profiles) {
      fs.copyFileSync(path.join(profilesDir, profile), path.join(workspace, profilesIn, profile));
    }
    if (outsideActivationGlobs) {
      fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'coldspy.profiles': [profilesIn] }));
    }
  },
};
