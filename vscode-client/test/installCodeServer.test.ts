import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const SCRIPT = path.resolve(__dirname, '../../e2e/install-code-server.sh');

describe('install-code-server.sh', () => {
  it("looks for node's headers under the prefix of the node on PATH, and stops clearly without them", () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'coldspy-install-test-'));
    try {
      // A node installed under its own prefix (like nvm or /usr/local), without include/node/node.h there.
      const prefix = path.join(scratch, 'node-prefix');
      fs.mkdirSync(path.join(prefix, 'bin'), { recursive: true });
      fs.writeFileSync(path.join(prefix, 'bin', 'node'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.join(prefix, 'bin')}:/usr/bin:/bin`, COLDSPY_VSHOST_DIR: path.join(scratch, 'host') };
      delete env.npm_config_nodedir;

      const run = spawnSync('sh', [SCRIPT], { env, encoding: 'utf8', timeout: 30000 });

      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.ok(run.stderr.includes(`${prefix}/include/node/node.h is missing`), run.stderr);
      assert.ok(!fs.existsSync(path.join(scratch, 'host', 'cs', 'lib')), 'it went on installing');
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
