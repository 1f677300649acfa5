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

export interface StatusView {
  text: string;
  tooltip: string;
}

export function statusView(params: StatusParams | undefined): StatusView {
  if (!params || !params.handler || !(params.profiles > 0)) {
    return {
      text: '$(watch) ColdSpy: no profile',
      tooltip: 'No ColdSpy profile is loaded for this workspace. Click to load one, or run "ColdSpy: Profile Handler…".',
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
