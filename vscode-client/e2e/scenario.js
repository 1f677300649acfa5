// What the end-to-end test opens and expects: a fixture app with its golden profile, and the import line that
// profile makes costly. Fixture apps live in fixtures/apps/<app>/, golden profiles in fixtures/profiles/.
'use strict';
const fs = require('fs');
const path = require('path');

const app = 'data_science';
// pyarrow is imported at start-up but only used when a request asks for a Parquet export: rarely used.
const importLine = 'import pyarrow.parquet as pq';

module.exports = {
  app,
  file: 'handler.py',
  importLine,
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
   */
  prepareWorkspace(repo, workspace) {
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
    fs.mkdirSync(path.join(workspace, '.coldspy', 'profiles'), { recursive: true });
    for (const profile of profiles) {
      fs.copyFileSync(path.join(profilesDir, profile), path.join(workspace, '.coldspy', 'profiles', profile));
    }
  },
};
