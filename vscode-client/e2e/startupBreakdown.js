// Where the time from opening a file to its first squiggle goes, step by step, for the first-squiggle benchmark:
// the page's clock (the click, the squiggle), VS Code's extension host log (the host's start, ColdSpy's
// activation and its event) and the ColdSpy output channel's start-up line (src/startupTimeline.ts) are put on
// one wall clock. Each step counts only the time after the click: a step that ended before the click (the
// server started while the user was still looking at the Explorer) counts 0.
'use strict';
const { parseStartupLine, STARTUP_STEPS } = require('../out/src/startupTimeline');

/** Epoch ms of a VS Code log line's local time stamp ("2026-12-02 20:03:27.473 [info] …") matching `pattern`. */
function loggedAt(log, pattern) {
  const line = log.split('\n').find((l) => pattern.test(l));
  const stamp = line && /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/.exec(line);
  return stamp ? new Date(`${stamp[1]}T${stamp[2]}`).getTime() : undefined;
}

/**
 * The steps between `clickAt` and `squiggleAt` (epoch ms) with their durations, or an error naming what is
 * missing from the logs. Returns { steps: [{ step, ms }], totalMs, activationEvent }.
 */
function startupBreakdown({ clickAt, squiggleAt, extensionHostLog, coldspyLog }) {
  const hostStarted = loggedAt(extensionHostLog, /Extension host with pid \d+ started/);
  const activationLine = /_doActivateExtension coldspy\.coldspy, .*activationEvent: '([^']+)'/;
  const activationLogged = loggedAt(extensionHostLog, activationLine);
  const client = parseStartupLine(coldspyLog);
  if (hostStarted === undefined || activationLogged === undefined || client === undefined) {
    throw new Error(`the start-up breakdown lacks ${[
      hostStarted === undefined && "the extension host's start",
      activationLogged === undefined && "ColdSpy's activation in the extension host log",
      client === undefined && 'the "[client] first findings … after activation" line in the ColdSpy log',
    ].filter(Boolean).join(', ')}`);
  }
  const day = new Date(activationLogged).toISOString().slice(0, 10);
  let at = new Date(`${day}T${client.begunAt}`).getTime();
  const moments = [
    { step: 'VS Code starts its extension host', at: hostStarted },
    { step: 'VS Code activates ColdSpy', at: activationLogged },
    { step: "ColdSpy's code loads", at },
    ...STARTUP_STEPS.map(({ label }) => ({ step: label, at: (at += client.stepsMs[label]) })),
    { step: 'the squiggle drawn', at: squiggleAt },
  ];
  let previous = clickAt;
  const steps = moments.map(({ step, at: end }) => {
    const ms = Math.max(0, end - previous);
    previous = Math.max(previous, end);
    return { step, ms: Math.round(ms) };
  });
  return { steps, totalMs: Math.round(squiggleAt - clickAt), activationEvent: activationLine.exec(extensionHostLog)[1] };
}

/** "VS Code starts its extension host 1210 ms, …" on one line. */
function describeBreakdown({ steps }) {
  return steps.map(({ step, ms }) => `${step} ${ms} ms`).join(', ');
}

module.exports = { startupBreakdown, describeBreakdown };
