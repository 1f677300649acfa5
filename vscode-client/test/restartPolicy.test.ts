import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartPolicy } from '../src/restartPolicy';

describe('RestartPolicy', () => {
  const clock = () => {
    let time = 0;
    return { now: () => time, advance: (ms: number) => (time += ms) };
  };

  it('restarts a crashing server a few times, then stops and says why', () => {
    const c = clock();
    const policy = new RestartPolicy(3, 60_000, c.now);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(policy.onCrash(), { restart: true });
      c.advance(1000);
    }
    const decision = policy.onCrash();
    assert.equal(decision.restart, false);
    assert.match(decision.reason!, /stopped 4 times in the last 1 minute/);
    assert.match(decision.reason!, /ColdSpy: Restart Server/);
  });

  it('forgets crashes older than the window', () => {
    const c = clock();
    const policy = new RestartPolicy(2, 60_000, c.now);
    policy.onCrash();
    policy.onCrash();
    c.advance(61_000);
    assert.equal(policy.onCrash().restart, true);
    assert.equal(policy.recentCrashes, 1);
  });

  it('gives a fresh start after the user restarts the server', () => {
    const c = clock();
    const policy = new RestartPolicy(1, 60_000, c.now);
    policy.onCrash();
    assert.equal(policy.onCrash().restart, false);
    policy.reset();
    assert.equal(policy.onCrash().restart, true);
  });
});
