// Finds what "ColdSpy: Profile Handler…" offers: Lambda handler functions (top-level functions called as
// handler(event, context), plus those named in a SAM template or serverless.yml) and the event files next to
// them. Works on paths and texts only (no VS Code API), with workspace-relative POSIX paths.
import * as path from 'path';

export interface HandlerCandidate {
  /** Workspace-relative path of the Python file, POSIX separators. */
  file: string;
  function: string;
  /** 1-based line of the `def`. */
  line: number;
  /** Named as a handler in a deployment file (template.yaml, serverless.yml). */
  declared: boolean;
}

/** The id the server and the status bar use: `path/to/handler.py:function`. */
export function handlerId(candidate: { file: string; function: string }): string {
  return `${candidate.file}:${candidate.function}`;
}

/**
 * The candidate a `path/to/handler.py:function` id names (the server's "Profile cold starts…" code lens passes
 * one, so the picker is skipped); undefined when it is not such an id.
 */
export function candidateFromId(id: unknown): HandlerCandidate | undefined {
  const match = typeof id === 'string' ? /^(.+\.py):([A-Za-z_]\w*)$/.exec(id) : null;
  return match ? { file: match[1].split('\\').join('/'), function: match[2], line: 0, declared: false } : undefined;
}

const DEF = /^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(([^)]*)\)[^:\n]*:/gm;

/** One parameter of a `def`: its name, and whether it has a default value. */
interface Parameter {
  name: string;
  hasDefault: boolean;
}

/**
 * The parameters before any `*`, `*args` or `**kwargs` (the ones Lambda can pass positionally), and whether a
 * keyword-only parameter without a default follows (then a call with two arguments fails).
 */
function parameters(parameterList: string): { positional: Parameter[]; requiredKeywordOnly: boolean } {
  const parts = parameterList
    .replace(/#[^\n]*/g, '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p && p !== '/');
  const star = parts.findIndex((p) => p.startsWith('*'));
  const toParameter = (part: string) => ({ name: part.split(/[:=]/)[0].trim(), hasDefault: part.includes('=') });
  const positional = (star < 0 ? parts : parts.slice(0, star)).map(toParameter);
  const keywordOnly = star < 0 ? [] : parts.slice(star + 1).filter((p) => !p.startsWith('**')).map(toParameter);
  return { positional, requiredKeywordOnly: keywordOnly.some((p) => !p.hasDefault) };
}

/** The indented body of the `def` whose header ends at `offset` (up to the next top-level statement). */
function bodyAfter(source: string, offset: number): string[] {
  const lines = source.slice(offset).split('\n').slice(1);
  const end = lines.findIndex((line) => /^[^\s#]/.test(line));
  return end < 0 ? lines : lines.slice(0, end);
}

/**
 * A decorator or a factory: its body defines a function and returns it (`def register(check): … return
 * register`), so calling it with (event, context) would hand Lambda a function, not a response.
 */
function returnsNestedFunction(body: string[]): boolean {
  const nested = new Set(body.flatMap((line) => /^\s+(?:async\s+)?def\s+(\w+)/.exec(line)?.[1] ?? []));
  return body.some((line) => {
    const returned = /^\s+return\s+(\w+)\s*(?:#.*)?$/.exec(line)?.[1];
    return returned !== undefined && nested.has(returned);
  });
}

/** Names applied as decorators (`@name` or `@name(…)`) in `sources`. */
export function decoratorNames(sources: string[]): Set<string> {
  return new Set(sources.flatMap((text) => [...text.matchAll(/^[ \t]*@([A-Za-z_]\w*)[ \t]*(?:\(|$)/gm)].map((m) => m[1])));
}

/**
 * Top-level functions Lambda can call as `f(event, context)`: two positional parameters (any further one has a
 * default), either named so (event…, context/ctx…) or with a conventional handler name; not a decorator or a
 * factory (a function that returns a function it defines, or a name used as `@name` in `decorators`).
 */
export function findHandlerFunctions(source: string, decorators: Set<string> = decoratorNames([source])): { function: string; line: number }[] {
  const found: { function: string; line: number }[] = [];
  for (const match of source.matchAll(DEF)) {
    const { positional, requiredKeywordOnly } = parameters(match[2]);
    const [first, second, ...rest] = positional;
    if (!first || !second || first.name === 'self' || first.name === 'cls' || rest.some((p) => !p.hasDefault) || requiredKeywordOnly) {
      continue;
    }
    const namedLikeLambda = /event|evt/i.test(first.name) || /context|ctx/i.test(second.name);
    const conventionalName = /^(lambda_)?handler$|_handler$/.test(match[1]);
    if (!(namedLikeLambda || conventionalName) || decorators.has(match[1])) {
      continue;
    }
    if (returnsNestedFunction(bodyAfter(source, match.index + match[0].length))) {
      continue;
    }
    found.push({ function: match[1], line: source.slice(0, match.index).split('\n').length });
  }
  return found;
}

/**
 * Handlers named in a deployment file, as module path + function: `Handler: app.lambda_handler` (SAM,
 * CloudFormation) or `handler: src/handler.main` (Serverless Framework). `CodeUri` prefixes are not known here;
 * candidates are matched against Python files by their trailing path.
 */
export function declaredHandlers(deploymentFileText: string): { modulePath: string; function: string }[] {
  const result: { modulePath: string; function: string }[] = [];
  for (const match of deploymentFileText.matchAll(/^\s*-?\s*[Hh]andler:\s*["']?([\w./-]+)\.(\w+)["']?\s*$/gm)) {
    result.push({ modulePath: match[1].replace(/\./g, '/').replace(/^\/+/, ''), function: match[2] });
  }
  return result;
}

const PREFERRED_FILES = ['handler.py', 'lambda_function.py', 'app.py', 'main.py'];

function rank(candidate: HandlerCandidate): number[] {
  const fileRank = PREFERRED_FILES.indexOf(path.posix.basename(candidate.file));
  const functionRank = ['handler', 'lambda_handler'].indexOf(candidate.function);
  return [
    candidate.declared ? 0 : 1,
    fileRank < 0 ? PREFERRED_FILES.length : fileRank,
    functionRank < 0 ? 2 : functionRank,
    candidate.file.split('/').length,
  ];
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return a[i] - b[i];
    }
  }
  return 0;
}

/** Every handler candidate of the workspace, most likely first. */
export function discoverHandlers(
  pythonFiles: { file: string; text: string }[],
  deploymentFiles: { file: string; text: string }[] = [],
): HandlerCandidate[] {
  const declared = deploymentFiles.flatMap((d) => declaredHandlers(d.text));
  const isDeclared = (file: string, fn: string) =>
    declared.some((d) => d.function === fn && (file === `${d.modulePath}.py` || file.endsWith(`/${d.modulePath}.py`)));
  const decorators = decoratorNames(pythonFiles.map((f) => f.text));
  const candidates: HandlerCandidate[] = [];
  for (const { file, text } of pythonFiles) {
    for (const fn of findHandlerFunctions(text, decorators)) {
      candidates.push({ file, function: fn.function, line: fn.line, declared: isDeclared(file, fn.function) });
    }
  }
  return candidates.sort((a, b) => compareRanks(rank(a), rank(b)) || a.file.localeCompare(b.file) || a.line - b.line);
}

/**
 * Event files for a handler, nearest first: JSON files in an `events` folder (or named like `*event*.json`)
 * in the handler's folder or one of its parent folders.
 */
export function eventFilesFor(handlerFile: string, jsonFiles: string[]): string[] {
  const handlerDir = path.posix.dirname(handlerFile);
  const ancestors: string[] = [];
  for (let dir = handlerDir; ; dir = path.posix.dirname(dir)) {
    ancestors.push(dir === '.' ? '' : dir);
    if (dir === '.' || dir === '/' || dir === '') {
      break;
    }
  }
  const distance = (file: string): number => {
    const segments = file.split('/');
    const eventsIndex = segments.indexOf('events');
    const looksLikeEvent = eventsIndex >= 0 || /event/i.test(path.posix.basename(file));
    if (!looksLikeEvent || !file.endsWith('.json')) {
      return -1;
    }
    // The folder that holds the events folder (or the event file) must be the handler's folder or above it.
    const owner = eventsIndex >= 0 ? segments.slice(0, eventsIndex).join('/') : path.posix.dirname(file).replace(/^\.$/, '');
    return ancestors.indexOf(owner);
  };
  return jsonFiles
    .map((file) => ({ file, distance: distance(file) }))
    .filter((e) => e.distance >= 0)
    .sort((a, b) => a.distance - b.distance || a.file.localeCompare(b.file))
    .map((e) => e.file);
}
