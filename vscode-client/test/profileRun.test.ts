import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profileOutcome, relativeToFolder, verifyOutcome } from '../src/profileRun';

describe('profile run outcome', () => {
  it('is a success only when the server names the profile it wrote', () => {
    assert.deepEqual(profileOutcome({ result: { profile: '/app/.coldspy/profiles/app.json' } }, [], false), {
      kind: 'profiled',
      profile: '/app/.coldspy/profiles/app.json',
    });
  });

  it('is one failure, with the error the server logged, when it answers without a profile', () => {
    // What the server logs today when the handler's import fails (the profiler's last line after its prefix).
    const logged = [
      'profiling /app/broken.py:handler failed (exit status 2): coldspy: error: importing /app/broken.py raised ModuleNotFoundError (traceback above)',
    ];
    assert.deepEqual(profileOutcome({ result: null }, logged, false), {
      kind: 'failed',
      reason: 'importing /app/broken.py raised ModuleNotFoundError (the traceback is in the log)',
    });
    assert.deepEqual(profileOutcome({ result: null }, ['cannot profile: first', 'ColdSpy: cannot profile: no events'], false), {
      kind: 'failed',
      reason: 'cannot profile: no events',
    });
    assert.deepEqual(profileOutcome({ result: null }, [], false), { kind: 'failed', reason: 'the server wrote no profile' });
  });

  it('takes the reason of an error response first', () => {
    const refused = new Error('ColdSpy does not profile in an untrusted workspace: profiling runs the workspace\'s code.');
    assert.deepEqual(profileOutcome({ error: refused }, ['something logged earlier'], false), {
      kind: 'failed',
      reason: 'ColdSpy does not profile in an untrusted workspace: profiling runs the workspace\'s code.',
    });
  });

  it('is a cancellation, never a failure, when the user cancelled', () => {
    assert.deepEqual(profileOutcome({ error: new Error('Request cancelled') }, ['profiling cancelled'], true), { kind: 'cancelled' });
  });

  it('writes paths in the workspace folder relative to it', () => {
    assert.equal(relativeToFolder('profiling /home/dev/app/handler.py:handler failed', '/home/dev/app'), 'profiling handler.py:handler failed');
    assert.equal(relativeToFolder('/home/dev/app/src/h.py:main', '/home/dev/app/'), 'src/h.py:main');
    assert.equal(relativeToFolder('/home/dev/other/h.py', '/home/dev/app'), '/home/dev/other/h.py');
    assert.equal(relativeToFolder('handler.py:handler', undefined), 'handler.py:handler');
  });
});

describe('verify run outcome', () => {
  it('is verified only when faster with identical outputs', () => {
    const summary = 'verified: −457.0 ms per cold start (−62 %), outputs identical';
    assert.deepEqual(verifyOutcome({ result: { summary, outputsIdentical: true, verdict: 'faster' } }, [], false), { kind: 'verified', message: summary });
  });

  it('needs attention when an output differs or nothing changed beyond the noise', () => {
    const differs = 'verified: −12.0 ms per cold start (−3 %), outputs differ on 1 event';
    assert.deepEqual(verifyOutcome({ result: { summary: differs, outputsIdentical: false, verdict: 'faster' } }, [], false), { kind: 'attention', message: differs });
    const noise = 'no significant change: +1.0 ms per cold start (+0 %), within the noise band 0.97–1.03, outputs identical';
    assert.deepEqual(verifyOutcome({ result: { summary: noise, outputsIdentical: true, verdict: 'no significant change' } }, [], false), { kind: 'attention', message: noise });
  });

  it('is a failure with the error response, or nothing when cancelled', () => {
    const error = new Error('cannot verify handler.py:handler: no baseline to compare with: app is not in a git repository');
    assert.deepEqual(verifyOutcome({ error }, [], false), { kind: 'failed', message: 'no baseline to compare with: app is not in a git repository' });
    assert.deepEqual(verifyOutcome({ result: null }, [], true), { kind: 'cancelled' });
  });
});
