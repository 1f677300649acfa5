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

const DEF = /^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(([^)]*)\)/gm;

function parameterNames(parameterList: string): string[] {
  return parameterList
    .replace(/#[^\n]*/g, '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p && p !== '/' && p !== '*')
    .map((p) => p.split(/[:=]/)[0].trim());
}

/**
 * Top-level functions Lambda could call as `f(event, context)`: two leading positional parameters, and either
 * parameter names that say so (event…, context/ctx…) or a conventional handler name.
 */
export function findHandlerFunctions(source: string): { function: string; line: number }[] {
  const found: { function: string; line: number }[] = [];
  for (const match of source.matchAll(DEF)) {
    const params = parameterNames(match[2]);
    const [first, second] = params;
    if (!first || !second || first.startsWith('*') || second.startsWith('*') || first === 'self' || first === 'cls') {
      continue;
    }
    const namedLikeLambda = /event|evt/i.test(first) || /context|ctx/i.test(second);
    const conventionalName = /^(lambda_)?handler$|_handler$/.test(match[1]);
    if (namedLikeLambda || conventionalName) {
      const line = source.slice(0, match.index).split('\n').length;
      found.push({ function: match[1], line });
    }
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
  const candidates: HandlerCandidate[] = [];
  for (const { file, text } of pythonFiles) {
    for (const fn of findHandlerFunctions(text)) {
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
