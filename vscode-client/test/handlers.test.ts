import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { candidateFromId, declaredHandlers, discoverHandlers, eventFilesFor, findHandlerFunctions, handlerId } from '../src/handlers';

describe('findHandlerFunctions', () => {
  it('finds top-level functions called as f(event, context)', () => {
    const source = [
      'import json',
      '',
      'def helper(x):',
      '    return x',
      '',
      'def handler(event, context):',
      '    return helper(event)',
      '',
      'async def process(evt: dict, ctx) -> dict:',
      '    return {}',
      '',
      'def lambda_handler(',
      '    payload: dict,',
      '    _context=None,  # unused',
      '):',
      '    pass',
    ].join('\n');
    assert.deepEqual(findHandlerFunctions(source), [
      { function: 'handler', line: 6 },
      { function: 'process', line: 9 },
      { function: 'lambda_handler', line: 12 },
    ]);
  });

  it('offers only functions a call with two arguments can run: further parameters need defaults', () => {
    const source = [
      'def handler(event, context, retries=3, *extra, **options):',
      '    pass',
      'def merge_handler(event, context, target):',
      '    pass',
      'def strict_handler(event, context, *, region):',
      '    pass',
    ].join('\n');
    assert.deepEqual(findHandlerFunctions(source), [{ function: 'handler', line: 1 }]);
  });

  it('ignores decorators and factories: functions returning a function they define, names used as @name', () => {
    const registry = [
      'RULES = []',
      '',
      'def rule(logs, context=None):',
      '    """Registers the decorated function as a rule."""',
      '    def register(check):',
      '        RULES.append((logs, check, context))',
      '        return check',
      '    return register',
      '',
      'def with_event_logging(event_type, context_key):',
      '    return lambda f: f',
      '',
      'def handler(event, context):',
      '    def respond(body):',
      '        return {"body": body}',
      '    return respond(event)',
    ].join('\n');
    const ruleModule = ['from rules import with_event_logging', '', '@with_event_logging("s3", "ctx")', 'def check(rec):', '    return True'].join('\n');
    const found = discoverHandlers([
      { file: 'rules/__init__.py', text: registry },
      { file: 'rules/s3.py', text: ruleModule },
    ]);
    assert.deepEqual(found.map(handlerId), ['rules/__init__.py:handler']);
  });

  it('ignores methods, one-argument functions and star-args', () => {
    const source = [
      'class Worker:',
      '    def handler(self, event, context):',
      '        pass',
      'def on_event(event):',
      '    pass',
      'def wrapper(*args, **kwargs):',
      '    pass',
    ].join('\n');
    assert.deepEqual(findHandlerFunctions(source), []);
  });
});

describe('declaredHandlers', () => {
  it('reads SAM and Serverless Framework handler entries', () => {
    const sam = 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.lambda_handler\n';
    const serverless = 'functions:\n  render:\n    handler: "src/render/handler.main"\n';
    assert.deepEqual(declaredHandlers(sam), [{ modulePath: 'app', function: 'lambda_handler' }]);
    assert.deepEqual(declaredHandlers(serverless), [{ modulePath: 'src/render/handler', function: 'main' }]);
  });
});

describe('discoverHandlers', () => {
  it('ranks declared handlers first, then conventional file and function names', () => {
    const files = [
      { file: 'tools/script.py', text: 'def run(event, context):\n  pass\n' },
      { file: 'handler.py', text: 'def handler(event, context):\n  pass\n' },
      { file: 'svc/app.py', text: 'def lambda_handler(event, context):\n  pass\n' },
    ];
    const ranked = discoverHandlers(files, [{ file: 'template.yaml', text: 'Handler: app.lambda_handler' }]);
    assert.deepEqual(ranked.map(handlerId), ['svc/app.py:lambda_handler', 'handler.py:handler', 'tools/script.py:run']);
    assert.equal(ranked[0].declared, true);
    assert.equal(ranked[1].declared, false);
  });
});

describe('eventFilesFor', () => {
  it('offers the events next to the handler first, then those of parent folders', () => {
    const json = ['apps/render/events/small.json', 'apps/render/events/big.json', 'events/shared.json', 'apps/other/events/x.json', 'apps/render/package.json', 'apps/render/test_event.json'];
    assert.deepEqual(eventFilesFor('apps/render/handler.py', json), [
      'apps/render/events/big.json',
      'apps/render/events/small.json',
      'apps/render/test_event.json',
      'events/shared.json',
    ]);
  });

  it('works for a handler at the workspace root', () => {
    assert.deepEqual(eventFilesFor('handler.py', ['events/a.json', 'sub/events/b.json', 'config.json']), ['events/a.json']);
  });
});

describe('candidateFromId', () => {
  it('reads the handler a code lens names, so the picker is skipped', () => {
    assert.deepEqual(candidateFromId('src/app.py:lambda_handler'), { file: 'src/app.py', function: 'lambda_handler', line: 0, declared: false });
    assert.equal(handlerId(candidateFromId('handler.py:handler')!), 'handler.py:handler');
  });

  it('is undefined for anything else', () => {
    assert.equal(candidateFromId(undefined), undefined);
    assert.equal(candidateFromId('handler.py'), undefined);
    assert.equal(candidateFromId('pkg.module.handler'), undefined);
    assert.equal(candidateFromId(42), undefined);
  });
});
