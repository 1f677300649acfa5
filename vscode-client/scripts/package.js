#!/usr/bin/env node
// Builds dist/coldspy-<version>.vsix: copies the server jar (built by Maven at the repository root; it embeds
// the Python profiler agent) into the extension, compiles and bundles the TypeScript and packs it with
// @vscode/vsce. The copy (server/) and the .vsix are build output: git-ignored, never committed.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const extensionDir = path.resolve(__dirname, '..');
const repoRoot = path.resolve(extensionDir, '..');
const jar = path.join(repoRoot, 'server', 'target', 'coldspy.jar');

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

if (!fs.existsSync(jar)) {
  fail(`${path.relative(process.cwd(), jar)} is missing: build it first with \`mvn -q -B package -DskipTests\` at the repository root.`);
}

const serverCopy = path.join(extensionDir, 'server');
fs.rmSync(serverCopy, { recursive: true, force: true });
// An older build copied the agent here; the jar's embedded agent is the one that runs.
fs.rmSync(path.join(extensionDir, 'profiler'), { recursive: true, force: true });
fs.mkdirSync(serverCopy, { recursive: true });
fs.copyFileSync(jar, path.join(serverCopy, 'coldspy.jar'));

const bin = (name) => path.join(extensionDir, 'node_modules', '.bin', name);
// tsc type-checks; esbuild bundles the extension and vscode-languageclient into one file (fast activation).
execFileSync('npm', ['run', '--silent', 'compile'], { cwd: extensionDir, stdio: 'inherit' });
const { version } = require(path.join(extensionDir, 'package.json'));
const vsix = path.join(extensionDir, 'dist', `coldspy-${version}.vsix`);
fs.mkdirSync(path.dirname(vsix), { recursive: true });
execFileSync(bin('vsce'), ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', vsix], {
  cwd: extensionDir,
  stdio: 'inherit',
});
console.log(`package: ${path.relative(process.cwd(), vsix)}`);
