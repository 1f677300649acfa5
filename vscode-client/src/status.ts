// Text of the status bar item, from the server's `coldspy/status` notification. No VS Code API here.

/** Params of `coldspy/status`, e.g. {"handler": "handler.py:handler", "initMs": 812.3, "savingMs": 640.1, "profiles": 3}. */
export interface StatusParams {
  /** `path/handler.py:function`; null when no profile is loaded. */
  handler: string | null;
  initMs: number;
  savingMs: number;
  profiles: number;
}

/** 812.3 → "812 ms", 1534 → "1.53 s", 12000 → "12.0 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return '? ms';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const seconds = ms / 1000;
  return `${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)} s`;
}

/** What the status bar item shows: the server starting, its last `coldspy/status`, or why it stopped. */
export type ServerState =
  | { kind: 'starting' }
  | { kind: 'status'; status: StatusParams }
  | { kind: 'stopped'; reason: string };

export interface StatusView {
  text: string;
  tooltip: string;
  /** The command a click runs. */
  command: string;
}

/**
 * The status bar item. Without a profile it offers what a new user needs first, profiling the handler (a
 * profile made elsewhere can be loaded with "ColdSpy: Load Profile…"); with one, the handler's cost and the
 * report.
 */
export function statusView(state: ServerState): StatusView {
  if (state.kind === 'starting') {
    return { text: '$(sync~spin) ColdSpy: starting…', tooltip: 'The ColdSpy server is starting. Click for its log.', command: 'coldspy.showLog' };
  }
  if (state.kind === 'stopped') {
    return { text: '$(error) ColdSpy: stopped', tooltip: `${state.reason} Click for the log.`, command: 'coldspy.showLog' };
  }
  const params = state.status;
  if (!params.handler || !(params.profiles > 0)) {
    return {
      text: '$(watch) ColdSpy: Profile cold starts…',
      tooltip:
        'No cold-start profile yet. Click to run your handler through a few cold starts and see what each import costs. ' +
        'A profile made elsewhere: "ColdSpy: Load Profile…".',
      command: 'coldspy.profileHandler',
    };
  }
  const function_ = params.handler.slice(params.handler.lastIndexOf(':') + 1) || params.handler;
  const saving = params.savingMs > 0 ? ` (−${formatMs(params.savingMs)} possible)` : '';
  return {
    text: `$(watch) ${function_}: ${formatMs(params.initMs)} init${saving}`,
    tooltip:
      `ColdSpy: ${params.handler} spends ${formatMs(params.initMs)} in imports per cold start` +
      (params.savingMs > 0 ? `; the suggested fixes would save about ${formatMs(params.savingMs)}` : '') +
      ` (from ${params.profiles} profile${params.profiles === 1 ? '' : 's'}). Click for the report.`,
    command: 'coldspy.showReport',
  };
}

/** Accepts only well-formed params (a client must not trust what arrives on the wire). */
export function parseStatus(value: unknown): StatusParams | undefined {
  if (value === null || typeof value !== 'object') {
    return undefined;
  }
  const v = value as Record<string, unknown>;
  const handler = typeof v.handler === 'string' ? v.handler : null;
  const number = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  return { handler, initMs: number(v.initMs), savingMs: number(v.savingMs), profiles: Math.trunc(number(v.profiles)) };
}
