#!/usr/bin/env node
// Summary of the first-squiggle benchmark (bench-first-diagnostic.sh): for the first session after the
// installation, a later session (both clicking the file as soon as the Explorer shows, VS Code's extension host
// still starting) and a file opened in a window already up, the median, min and max from opening the file to the
// first squiggle against the 2 s target, and the median of each step of the way (e2e/startupBreakdown.js).
// Usage: e2e/bench-summary.js METRICS_JSON...
'use strict';
const fs = require('fs');

const TARGET_MS = 2000;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function summarize(name, sessions) {
  const totals = sessions.map((s) => s.firstDiagnosticMs);
  const verdict = median(totals) <= TARGET_MS ? 'met' : 'not met';
  console.log(`${name}: median ${median(totals)} ms (min ${Math.min(...totals)}, max ${Math.max(...totals)}) over ${totals.length} runs; target ≤ ${TARGET_MS} ms: ${verdict}`);
  const steps = sessions[0].breakdown.steps.map(({ step }) => step);
  const events = [...new Set(sessions.map((s) => s.breakdown.activationEvent))].join(', ');
  console.log(`  median per step (activation event ${events}): ${steps.map((step) =>
    `${step} ${median(sessions.map((s) => s.breakdown.steps.find((x) => x.step === step).ms))} ms`).join(', ')}`);
}

const runs = process.argv.slice(2).map((file) => JSON.parse(fs.readFileSync(file, 'utf8')));
if (runs.length === 0) {
  console.error('bench-summary: no metrics files given');
  process.exit(2);
}
const sessions = [
  ['first session after installing (click as the Explorer shows)', (r) => r.breakdown && r],
  ['later session (archive and Java of the first; click as the Explorer shows)', (r) => r.laterSession],
  ['file opened in a window already up (extension host started, ColdSpy not yet active)', (r) => r.windowAlreadyUp],
];
for (const [name, session] of sessions) {
  const measured = runs.map(session).filter(Boolean);
  if (measured.length) {
    summarize(name, measured);
  } else {
    console.log(`${name}: not measured`);
  }
}
