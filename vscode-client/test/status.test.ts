import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMs, parseStatus, statusView } from '../src/status';

describe('status bar', () => {
  it('shows the handler init cost and the possible saving', () => {
    const view = statusView({ kind: 'status', status: { handler: 'handler.py:handler', initMs: 812.3, savingMs: 640.1, profiles: 3 } });
    assert.equal(view.text, '$(watch) handler: 812 ms init (−640 ms possible)');
    assert.equal(view.command, 'coldspy.showReport');
    assert.match(view.tooltip, /handler\.py:handler spends 812 ms in imports per cold start; .* save about 640 ms \(from 3 profiles\)/);
  });

  it('offers to profile cold starts when no profile is loaded, not a file dialog', () => {
    const view = statusView({ kind: 'status', status: { handler: null, initMs: 0, savingMs: 0, profiles: 0 } });
    assert.equal(view.text, '$(watch) ColdSpy: Profile cold starts…');
    assert.equal(view.command, 'coldspy.profileHandler');
    assert.match(view.tooltip, /Load Profile/);
  });

  it('says "starting…" until the server has loaded the profiles, and why it stopped', () => {
    assert.deepEqual(statusView({ kind: 'starting' }), {
      text: '$(sync~spin) ColdSpy: starting…',
      tooltip: 'The ColdSpy server is starting. Click for its log.',
      command: 'coldspy.showLog',
    });
    const stopped = statusView({ kind: 'stopped', reason: 'ColdSpy needs Java 17 or newer.' });
    assert.equal(stopped.text, '$(error) ColdSpy: stopped');
    assert.match(stopped.tooltip, /^ColdSpy needs Java 17 or newer\. Click for the log\.$/);
  });

  it('formats milliseconds and seconds', () => {
    assert.equal(formatMs(0.4), '0 ms');
    assert.equal(formatMs(1534), '1.53 s');
    assert.equal(formatMs(12000), '12.0 s');
  });

  it('accepts only well-formed notifications', () => {
    assert.equal(parseStatus(null), undefined);
    assert.deepEqual(parseStatus({ handler: 7, initMs: 'x', profiles: 2.9 }), { handler: null, initMs: 0, savingMs: 0, profiles: 2 });
  });
});
