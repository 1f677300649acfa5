#!/usr/bin/env node
// Benchmark of the server's start as the extension runs it: process start → `initialize` answer, and didOpen of
// the e2e fixture's handler (scenario.js) → its first publishDiagnostics with a finding, for several JVM flag
// sets, interleaved round by round so that the machine's load falls on all of them alike. The set "client" is
// exactly what the extension runs (src/serverJvm.ts: START_FLAGS and the AppCDS archive, made by one training
// session first). Prints one line per set: medians, min and max. docs/benchmarks.md records the figures.
// Needs `npm run compile` (out/src/serverJvm.js) and server/target/coldspy.jar.
// Usage: e2e/bench-server-start.js [RUNS] [SET...]   (default 7 runs, every set)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startServer } = require('./lsp-stdio');
const scenario = require('./scenario');
const { START_FLAGS, serverArguments } = require('../out/src/serverJvm');

const REPO = path.resolve(__dirname, '..', '..');
const JAR = path.join(REPO, 'server', 'target', 'coldspy.jar');
const JAVA = process.env.JAVA || 'java';
const C1 = '-XX:TieredStopAtLevel=1';
const SERIAL = '-XX:+UseSerialGC';

/**
 * name → the flags of a measured run, and whether a training session makes an AppCDS archive first. "client"
 * is C1 + serial GC + the archive, with the client's log flags.
 */
const SETS = {
  plain: { flags: [] },
  c1: { flags: [C1] },
  serial: { flags: [SERIAL] },
  'c1+serial': { flags: [C1, SERIAL] },
  cds: { archive: true, flags: [] },
  'cds+c1': { archive: true, flags: [C1] },
  client: { archive: true, client: true },
  // The client's first start with a jar and Java: no archive yet, the classes recorded and written at exit.
  'client-first-start': { client: true, recording: true },
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** One editor session: initialize, didOpen of the handler, its diagnostics, shutdown, exit. */
async function session(args, workspace) {
  const server = startServer(JAVA, args, {
    cwd: workspace,
    onServerRequest: (message) => (message.method === 'workspace/configuration' ? message.params.items.map(() => ({})) : null),
  });
  const rootUri = `file://${workspace}`;
  const initialized = await server.request('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'bench' }],
    capabilities: { workspace: { configuration: true, workspaceFolders: true }, window: { workDoneProgress: true } },
    initializationOptions: { workspaceTrusted: true },
  });
  const initializeMs = initialized.at - server.startedAt;
  server.notify('initialized', {});
  const uri = `${rootUri}/${scenario.file}`;
  const openedAt = performance.now();
  server.notify('textDocument/didOpen', {
    textDocument: { uri, languageId: 'python', version: 1, text: fs.readFileSync(path.join(workspace, scenario.file), 'utf8') },
  });
  const published = await server.waitFor(
    ({ message }) => message.method === 'textDocument/publishDiagnostics' && message.params.uri === uri && message.params.diagnostics.length > 0,
    120000,
  );
  const diagnosticsMs = published.at - openedAt;
  await server.request('shutdown');
  server.notify('exit');
  const exit = await server.exited;
  return { initializeMs, diagnosticsMs, exit, stderr: server.stderr() };
}

async function main() {
  const runs = Number(process.argv[2] || 7);
  const names = process.argv.slice(3).length ? process.argv.slice(3) : Object.keys(SETS);
  const unknown = names.filter((n) => !SETS[n]);
  if (unknown.length) {
    throw new Error(`unknown set(s) ${unknown.join(', ')}; known: ${Object.keys(SETS).join(', ')}`);
  }
  if (!fs.existsSync(JAR)) {
    throw new Error(`${JAR} is missing: mvn -q -B -ntp -pl server package -DskipTests`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'coldspy-bench-start-'));
  const workspace = path.join(work, 'ws');
  scenario.prepareWorkspace(REPO, workspace);
  const archive = (name) => path.join(work, `${name}.jsa`);
  const argsOf = (name, mode) => {
    const set = SETS[name];
    if (set.recording) {
      return serverArguments(JAR, { mode: 'create', archive: archive(name), partial: `${archive(name)}.${mode}.partial` });
    }
    if (set.client) {
      const plan = mode === 'train' ? { mode: 'create', archive: archive(name), partial: archive(name) } : { mode: 'use', archive: archive(name) };
      return serverArguments(JAR, plan);
    }
    const archiveFlags = !set.archive ? [] : mode === 'train' ? [`-XX:ArchiveClassesAtExit=${archive(name)}`] : [`-XX:SharedArchiveFile=${archive(name)}`];
    return [...set.flags, ...archiveFlags, '-jar', JAR, 'serve'];
  };
  try {
    for (const name of names.filter((n) => SETS[n].archive)) {
      const trained = await session(argsOf(name, 'train'), workspace);
      if (!fs.existsSync(archive(name))) {
        throw new Error(`${name}: the training session wrote no archive (exit ${JSON.stringify(trained.exit)}): ${trained.stderr}`);
      }
    }
    const results = Object.fromEntries(names.map((n) => [n, []]));
    for (let round = 0; round < runs; round++) {
      for (const name of round % 2 ? [...names].reverse() : names) {
        const result = await session(argsOf(name, 'measure'), workspace);
        if (/\[(warning|error)\s*\]\[cds/.test(result.stderr)) {
          throw new Error(`${name}: the JVM did not use the archive: ${result.stderr.trim()}`);
        }
        results[name].push(result);
      }
    }
    const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
    console.log(`# ${runs} runs per set, ${os.cpus().length} cores, load average ${load}, ${JAVA}; client flags: ${START_FLAGS.join(' ')}`);
    for (const name of names) {
      const figures = (key) => results[name].map((r) => r[key]);
      const summary = (key) => `${Math.round(median(figures(key)))} ms (${Math.round(Math.min(...figures(key)))}–${Math.round(Math.max(...figures(key)))})`;
      console.log(`${name.padEnd(22)} initialize ${summary('initializeMs')}   didOpen → diagnostics ${summary('diagnosticsMs')}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench-server-start: ${error.message}`);
  process.exit(1);
});
