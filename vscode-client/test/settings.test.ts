import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandPath, sectionOf, toServerSettings } from '../src/settings';

const folder = '/home/dev/lambda';
const context = { workspaceFolder: folder, homeDir: '/home/dev', platform: 'linux' as const, trusted: true };
const reader = (values: Record<string, unknown>) => (key: string) => values[key];

describe('toServerSettings', () => {
  it('maps the defaults to absolute profile folders and the default thresholds', () => {
    const { settings, problems } = toServerSettings(reader({}), context);
    assert.deepEqual(settings, {
      profiles: { paths: ['/home/dev/lambda/.coldspy/profiles'] },
      severity: { errorMs: 500, warningMs: 100, informationMs: 10 },
      inlayHints: { enabled: true },
      python: { targetVersion: null, interpreter: 'python3' },
      profiler: { coldStarts: 5, enabled: true },
    });
    assert.deepEqual(problems, []);
  });

  it('passes user values through, expanding variables in paths', () => {
    const { settings } = toServerSettings(
      reader({
        'profiles.paths': ['profiles', '${workspaceFolder}/more/p.json', '~/shared/profiles', '/abs/x.pkl', 'profiles'],
        'severity.errorMs': 1000,
        'severity.warningMs': 200,
        'severity.informationMs': 0,
        'inlayHints.enabled': false,
        'python.targetVersion': '3.15',
        'python.interpreter': '${workspaceFolder}/.venv/bin/python',
        'profiler.coldStarts': 20,
      }),
      context,
    );
    assert.deepEqual(settings.profiles.paths, ['/home/dev/lambda/profiles', '/home/dev/lambda/more/p.json', '/home/dev/shared/profiles', '/abs/x.pkl']);
    assert.deepEqual(settings.severity, { errorMs: 1000, warningMs: 200, informationMs: 0 });
    assert.equal(settings.inlayHints.enabled, false);
    assert.equal(settings.python.targetVersion, '3.15');
    assert.equal(settings.python.interpreter, '/home/dev/lambda/.venv/bin/python');
    assert.equal(settings.profiler.coldStarts, 20);
  });

  it('keeps a bare interpreter name for PATH lookup', () => {
    assert.equal(toServerSettings(reader({ 'python.interpreter': 'python3.12' }), context).settings.python.interpreter, 'python3.12');
  });

  it('puts thresholds in order and says why', () => {
    const { settings, problems } = toServerSettings(reader({ 'severity.errorMs': 50, 'severity.warningMs': 100, 'severity.informationMs': 80 }), context);
    assert.deepEqual(settings.severity, { errorMs: 50, warningMs: 50, informationMs: 50 });
    assert.equal(problems.length, 2);
    assert.match(problems[0], /warningMs \(100\) is above coldspy\.severity\.errorMs \(50\)/);
  });

  it('replaces malformed values with defaults and reports each', () => {
    const { settings, problems } = toServerSettings(
      reader({ 'severity.errorMs': 'lots', 'python.targetVersion': 'py3', 'profiles.paths': ['ok', 42, ''], 'profiler.coldStarts': -1 }),
      context,
    );
    assert.equal(settings.severity.errorMs, 500);
    assert.equal(settings.python.targetVersion, null);
    assert.deepEqual(settings.profiles.paths, ['/home/dev/lambda/ok']);
    assert.equal(settings.profiler.coldStarts, 5);
    assert.equal(problems.length, 5);
    assert.ok(problems.some((p) => p.includes('coldspy.severity.errorMs must be a non-negative number, not "lots"')));
  });

  it('disables the profiler in an untrusted workspace', () => {
    assert.equal(toServerSettings(reader({}), { ...context, trusted: false }).settings.profiler.enabled, false);
  });
});

describe('expandPath', () => {
  it('resolves relative paths against the workspace folder and keeps absolute ones', () => {
    assert.equal(expandPath('a/../b', context), '/home/dev/lambda/b');
    assert.equal(expandPath('/etc/p.json', context), '/etc/p.json');
    assert.equal(expandPath('${userHome}/p', context), '/home/dev/p');
  });
});

describe('sectionOf', () => {
  const { settings } = toServerSettings(reader({}), context);
  it('answers the whole section and dotted sub-sections', () => {
    assert.deepEqual(sectionOf(settings, 'coldspy'), { handled: true, value: settings });
    assert.deepEqual(sectionOf(settings, 'coldspy.severity'), { handled: true, value: settings.severity });
    assert.deepEqual(sectionOf(settings, 'coldspy.inlayHints.enabled'), { handled: true, value: true });
  });
  it('leaves other sections and unknown keys to the default answer', () => {
    assert.deepEqual(sectionOf(settings, 'python'), { handled: false });
    assert.deepEqual(sectionOf(settings, 'coldspy.trace.server'), { handled: false });
  });
});
