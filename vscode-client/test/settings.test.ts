import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coldStarts, expandPath, pythonInterpreter, sectionOf, toServerSettings } from '../src/settings';

const folder = '/home/dev/lambda';
const context = { workspaceFolder: folder, homeDir: '/home/dev', platform: 'linux' as const };
const reader = (values: Record<string, unknown>) => (key: string) => values[key];

describe('toServerSettings', () => {
  it('sends nothing for settings left unset, so that pyproject.toml [tool.coldspy] decides', () => {
    // VS Code reports unset nullable settings as null, and unset lists as their default.
    const unset = reader({ profiles: null, minMs: null, warningMs: null, errorMs: null, targetPython: null, ignoreModules: null, ignore: null });
    assert.deepEqual(toServerSettings(unset, context), { settings: {}, problems: [] });
    assert.deepEqual(toServerSettings(reader({ profiles: [], targetPython: '' }), context).settings, {});
  });

  it('passes the user values under the [tool.coldspy] keys, with absolute profile paths', () => {
    const { settings, problems } = toServerSettings(
      reader({
        profiles: ['profiles', '${workspaceFolder}/more/p.json', '~/shared/profiles', '/abs/x.pkl', 'profiles'],
        minMs: 0,
        warningMs: 50,
        errorMs: 250,
        targetPython: '3.15',
        ignoreModules: ['boto3'],
        ignore: ['cs105'],
        'inlayHints.enabled': false,
        'java.home': '/opt/jdk',
      }),
      context,
    );
    assert.deepEqual(settings, {
      profiles: ['/home/dev/lambda/profiles', '/home/dev/lambda/more/p.json', '/home/dev/shared/profiles', '/abs/x.pkl'],
      minMs: 0,
      warningMs: 50,
      errorMs: 250,
      targetPython: '3.15',
      ignoreModules: ['boto3'],
      ignore: ['CS105'],
    });
    assert.deepEqual(problems, []);
  });

  it('sends the opt-in to quick fixes inside vendored libraries only when it is on', () => {
    assert.deepEqual(toServerSettings(reader({ fixVendoredLibraries: true }), context).settings, { fixVendoredLibraries: true });
    assert.deepEqual(toServerSettings(reader({ fixVendoredLibraries: false }), context).settings, {});
  });

  it('drops malformed values and reports each', () => {
    const { settings, problems } = toServerSettings(
      reader({ warningMs: 'lots', errorMs: -1, targetPython: 'py3', profiles: ['ok', 42, ''], ignore: ['CS999', 'E501'], ignoreModules: 'boto3' }),
      context,
    );
    assert.deepEqual(settings, { profiles: ['/home/dev/lambda/ok'], ignore: ['CS999'] });
    assert.deepEqual(problems, [
      'coldspy.profiles: 42 is not a name or path (ignored)',
      'coldspy.profiles: "" is not a name or path (ignored)',
      'coldspy.warningMs must be a number of milliseconds (0 or more), not "lots" (ignored)',
      'coldspy.errorMs must be a number of milliseconds (0 or more), not -1 (ignored)',
      'coldspy.targetPython must be a Python version such as "3.12", not "py3" (ignored)',
      'coldspy.ignoreModules must be a list, not "boto3" (ignored)',
      'coldspy.ignore: "E501" is not a rule code such as "CS105" (ignored)',
    ]);
  });

  it('says when the warning threshold is above the error threshold', () => {
    const { problems } = toServerSettings(reader({ warningMs: 300, errorMs: 100 }), context);
    assert.deepEqual(problems, ['coldspy.warningMs (300) is above coldspy.errorMs (100): findings between them are errors']);
  });
});

describe('profiler settings', () => {
  it('resolves the interpreter path, keeps a bare command for PATH lookup, defaults to python3', () => {
    const python = (values: Record<string, unknown>, ctx: Parameters<typeof pythonInterpreter>[1] = context) => pythonInterpreter(reader(values), ctx).python;
    assert.equal(python({ 'python.interpreter': '${workspaceFolder}/.venv/bin/python' }), '/home/dev/lambda/.venv/bin/python');
    assert.equal(python({ 'python.interpreter': '.venv/bin/python' }), '/home/dev/lambda/.venv/bin/python');
    assert.equal(python({ 'python.interpreter': 'python3.12' }), 'python3.12');
    assert.deepEqual(pythonInterpreter(reader({ 'python.interpreter': '' }), context), { python: 'python3', source: 'default' });
    assert.equal(python({}, { ...context, platform: 'win32' }), 'python');
  });

  it('takes the Python extension\'s selected interpreter unless coldspy.python.interpreter is set', () => {
    const selected = '/home/dev/lambda/.venv/bin/python3.12';
    assert.deepEqual(pythonInterpreter(reader({ 'python.interpreter': '' }), context, selected), { python: selected, source: 'the Python extension' });
    assert.deepEqual(pythonInterpreter(reader({ 'python.interpreter': '/usr/bin/python3.11' }), context, selected), {
      python: '/usr/bin/python3.11',
      source: 'coldspy.python.interpreter',
    });
    assert.deepEqual(pythonInterpreter(reader({}), context, '  '), { python: 'python3', source: 'default' });
  });

  it('keeps the number of cold starts whole and within 1 to 1000', () => {
    assert.equal(coldStarts(reader({ 'profiler.coldStarts': 12.4 })), 12);
    assert.equal(coldStarts(reader({ 'profiler.coldStarts': 0 })), 1);
    assert.equal(coldStarts(reader({ 'profiler.coldStarts': 5000 })), 1000);
    assert.equal(coldStarts(reader({ 'profiler.coldStarts': 'many' })), 5);
  });
});

describe('expandPath', () => {
  it('resolves relative paths against the workspace folder and keeps absolute ones', () => {
    assert.equal(expandPath('a/../b', context), '/home/dev/lambda/b');
    assert.equal(expandPath('/etc/p.json', context), '/etc/p.json');
    assert.equal(expandPath('${userHome}/p', context), '/home/dev/p');
    assert.equal(expandPath('~', context), '/home/dev');
  });
});

describe('sectionOf', () => {
  const settings = { warningMs: 50, profiles: ['/p'] };
  it('answers the whole section and its keys', () => {
    assert.deepEqual(sectionOf(settings, 'coldspy'), { handled: true, value: settings });
    assert.deepEqual(sectionOf(settings, 'coldspy.warningMs'), { handled: true, value: 50 });
    assert.deepEqual(sectionOf(settings, 'coldspy.errorMs'), { handled: true, value: null });
  });
  it('leaves other sections and the extension-only keys to the default answer', () => {
    assert.deepEqual(sectionOf(settings, 'python'), { handled: false });
    assert.deepEqual(sectionOf(settings, 'coldspy.trace.server'), { handled: false });
  });
});
