// What a "Profile Handler…" run tells the user, from what the server answered: the profile, a cancellation,
// or one failure with its reason. No VS Code API here.
import * as path from 'path';

export type ProfileOutcome = { kind: 'profiled'; profile: string } | { kind: 'cancelled' } | { kind: 'failed'; reason: string };

/** What the `coldspy.profile` request gave: its result, or the error it was answered with. */
export interface ProfileAnswer {
  result?: unknown;
  error?: unknown;
}

/**
 * The reason as the user reads it under "ColdSpy could not profile handler.py:handler: …": without the
 * prefixes the server's and the profiler's log lines carry, and pointing to the log for the traceback (the
 * profiler says "traceback above", which is true in a terminal only).
 */
export function readableReason(message: string): string {
  return message
    .trim()
    .replace(/^ColdSpy:\s*/, '')
    .replace(/^profiling \S+ failed (\(exit status \d+\)):\s*(?:coldspy: error:\s*)?/, '')
    .replace(/^coldspy: error:\s*/, '')
    .replace(/\(traceback above\)/, '(the traceback is in the log)');
}

/**
 * The outcome of one run. A run succeeded only when the server names the profile it wrote (`{"profile":
 * "/abs/.coldspy/profiles/app.json"}`); an answer without one is a failure whose reason is the last error the
 * server logged during the run (a server that reports failures as an error response gives the reason there).
 */
export function profileOutcome(answer: ProfileAnswer, serverErrors: string[], cancelled: boolean): ProfileOutcome {
  if (cancelled) {
    return { kind: 'cancelled' };
  }
  const result = answer.result as { profile?: unknown } | null | undefined;
  if (answer.error === undefined && result && typeof result.profile === 'string') {
    return { kind: 'profiled', profile: result.profile };
  }
  const responseError = answer.error instanceof Error ? answer.error.message : answer.error === undefined ? undefined : String(answer.error);
  const reason = responseError ?? serverErrors[serverErrors.length - 1];
  return { kind: 'failed', reason: reason ? readableReason(reason) : 'the server wrote no profile' };
}

/** Paths under the workspace folder written relative to it ("/home/dev/app/handler.py" → "handler.py"). */
export function relativeToFolder(text: string, folder: string | undefined): string {
  if (!folder) {
    return text;
  }
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  return text.split(prefix).join('');
}

/** What a "Verify Fixes" run tells the user: a verified gain, something to look at, a failure, or nothing (cancelled). */
export type VerifyOutcome = { kind: 'verified' | 'attention' | 'failed'; message: string } | { kind: 'cancelled' };

/**
 * The outcome of `coldspy.verify`, whose answer is `{ "summary": "verified: −457.0 ms per cold start (−62 %),
 * outputs identical", "outputsIdentical": true, "verdict": "faster" }`: verified only when faster with identical
 * outputs; an output difference or no significant change needs the user's attention; an error is a failure.
 */
export function verifyOutcome(answer: ProfileAnswer, serverErrors: string[], cancelled: boolean): VerifyOutcome {
  if (cancelled) {
    return { kind: 'cancelled' };
  }
  const result = answer.result as { summary?: unknown; outputsIdentical?: unknown; verdict?: unknown } | null | undefined;
  if (answer.error === undefined && result && typeof result.summary === 'string') {
    const verified = result.outputsIdentical === true && result.verdict === 'faster';
    return { kind: verified ? 'verified' : 'attention', message: result.summary };
  }
  const responseError = answer.error instanceof Error ? answer.error.message : answer.error === undefined ? undefined : String(answer.error);
  const reason = responseError ?? serverErrors[serverErrors.length - 1] ?? 'the server gave no result';
  return { kind: 'failed', message: reason.replace(/^ColdSpy:\s*/, '').replace(/^cannot verify \S+: /, '') };
}
