// Where the time from the extension's activation (or a restart) to the first findings goes, step by step: one
// line in the ColdSpy output channel when the first findings arrive, which the first-squiggle benchmark
// (e2e/extension.e2e.js) also reads. No VS Code API here.

/** How the Java runtime of a start was chosen. */
export type JavaChoice = 'remembered' | 'probed';

/** How a start used the class-data archive (see serverJvm.ts). */
export type ArchiveUse = 'used' | 'recording' | 'none';

/** Moments of one server start, all on one clock (performance.now() of the extension host). */
export interface StartupMoments {
  /** performance.timeOrigin of that clock: with it the line says when the start began, in UTC. */
  timeOrigin: number;
  /** The extension's activation, or the restart that began this start. */
  begun: number;
  begunBy: 'activation' | 'restart';
  javaChosen: number;
  javaChoice: JavaChoice;
  spawned: number;
  archive: ArchiveUse;
  initialized: number;
  /** The first didOpen sent to this server. */
  documentOpened: number;
  /** The server's first `workspace/configuration` request reaching the client (it loads the profiles after it). */
  settingsAsked: number;
  findings: number;
}

/** The steps in order: the label the log line uses and the moments each lies between. */
export const STARTUP_STEPS = [
  { label: 'Java chosen', from: 'begun', to: 'javaChosen' },
  { label: 'JVM spawned', from: 'javaChosen', to: 'spawned' },
  { label: 'initialize answered', from: 'spawned', to: 'initialized' },
  { label: 'didOpen sent', from: 'initialized', to: 'documentOpened' },
  { label: 'settings asked', from: 'documentOpened', to: 'settingsAsked' },
  { label: 'first findings', from: 'settingsAsked', to: 'findings' },
] as const;

export type StartupStep = (typeof STARTUP_STEPS)[number]['label'];

/**
 * The log line, e.g. `[client] first findings (handler.py) 1490 ms after activation (20:03:27.601Z): Java chosen +2 ms
 * (remembered), JVM spawned +3 ms, initialize answered +620 ms (archive: recording), didOpen sent +4 ms, settings
 * asked +40 ms, first findings +821 ms`. A step that happened before the one it follows counts as +0 ms, its wait
 * being in the next step: a restart with open editors queues their didOpen before initialize is answered, and
 * the server may ask for the settings before the didOpen is sent.
 */
export function startupLine(file: string, moments: StartupMoments): string {
  const documentOpened = Math.max(moments.documentOpened, moments.initialized);
  const settingsAsked = Math.max(moments.settingsAsked, documentOpened);
  const at = { ...moments, documentOpened, settingsAsked };
  const steps = STARTUP_STEPS.map(({ label, from, to }) => {
    const note = label === 'Java chosen' ? ` (${moments.javaChoice})` : label === 'initialize answered' ? ` (archive: ${moments.archive})` : '';
    return `${label} +${Math.round(at[to] - at[from])} ms${note}`;
  });
  const begunAt = new Date(moments.timeOrigin + moments.begun).toISOString().slice(11);
  return `[client] first findings (${file}) ${Math.round(moments.findings - moments.begun)} ms after ${moments.begunBy} (${begunAt}): ${steps.join(', ')}`;
}

/** The steps' durations in ms read back from a log holding startupLine's line (the first one), or undefined. */
export function parseStartupLine(
  log: string,
): { file: string; begunBy: string; begunAt: string; totalMs: number; stepsMs: Record<StartupStep, number> } | undefined {
  const line = /\[client\] first findings \((.+?)\) (\d+) ms after (activation|restart) \(([\d:.]+Z)\): (.*)/.exec(log);
  if (!line) {
    return undefined;
  }
  const stepsMs = {} as Record<StartupStep, number>;
  for (const { label } of STARTUP_STEPS) {
    const step = new RegExp(`${label} \\+(\\d+) ms`).exec(line[5]);
    if (!step) {
      return undefined;
    }
    stepsMs[label] = Number(step[1]);
  }
  return { file: line[1], totalMs: Number(line[2]), begunBy: line[3], begunAt: line[4], stepsMs };
}
