import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStartupLine, startupLine, StartupMoments } from '../src/startupTimeline';

const firstSession: StartupMoments = {
  timeOrigin: Date.UTC(2026, 11, 2, 20, 3, 26, 601),
  begun: 1000,
  begunBy: 'activation',
  javaChosen: 1310.4,
  javaChoice: 'probed',
  spawned: 1315,
  archive: 'recording',
  initialized: 1935,
  documentOpened: 1939,
  settingsAsked: 1979,
  findings: 2800,
};

describe('start-up timeline', () => {
  it('says how long each step from the activation to the first findings took', () => {
    assert.equal(
      startupLine('handler.py', firstSession),
      '[client] first findings (handler.py) 1800 ms after activation (20:03:27.601Z): Java chosen +310 ms (probed), JVM spawned +5 ms, ' +
        'initialize answered +620 ms (archive: recording), didOpen sent +4 ms, settings asked +40 ms, first findings +821 ms',
    );
  });

  it('counts a didOpen queued before initialize as sent with it, and settings asked before it as asked with it', () => {
    const restart = { ...firstSession, begunBy: 'restart' as const, documentOpened: 1320, settingsAsked: 1936 };
    const line = startupLine('app/handler.py', restart);
    assert.match(line, /after restart \(20:03:27.601Z\): .*didOpen sent \+0 ms, settings asked \+1 ms, first findings \+864 ms$/);
    const askedFirst = startupLine('app/handler.py', { ...firstSession, settingsAsked: 1936 });
    assert.match(askedFirst, /didOpen sent \+4 ms, settings asked \+0 ms, first findings \+861 ms$/);
  });

  it('is read back by the benchmark, steps adding up to the total', () => {
    const log = `2026-12-02 20:03:28.023 [info] [java] PATH /usr/bin/java: used\n2026-12-02 20:03:30.320 [info] ${startupLine('handler.py', firstSession)}\n`;
    const parsed = parseStartupLine(log);
    assert.deepEqual(parsed, {
      file: 'handler.py',
      begunBy: 'activation',
      begunAt: '20:03:27.601Z',
      totalMs: 1800,
      stepsMs: { 'Java chosen': 310, 'JVM spawned': 5, 'initialize answered': 620, 'didOpen sent': 4, 'settings asked': 40, 'first findings': 821 },
    });
    assert.equal(parseStartupLine('[client] first findings (handler.py) 12 ms after activation (20:03:27.601Z): Java chosen +1 ms'), undefined);
    assert.equal(parseStartupLine('no such line'), undefined);
  });
});
