// Maps the user's `coldspy.*` settings to what the server reads from `workspace/configuration` (section
// "coldspy") and receives in `workspace/didChangeConfiguration`. The server takes the keys of
// `[tool.coldspy]` in camelCase as overrides of the project's pyproject.toml, so only settings the user set
// are sent (an unset one must not hide the project's value), paths are made absolute and variables expanded.
// Settings the extension keeps for itself (Java, inlay hints switch, profiler runs, trace) are not sent.
// No VS Code API here.
import * as os from 'os';
import * as path from 'path';

/** The overrides the server gets for section "coldspy"; absent keys leave the project's settings as they are. */
export interface ServerSettings {
  profiles?: string[];
  minMs?: number;
  warningMs?: number;
  errorMs?: number;
  targetPython?: string;
  ignoreModules?: string[];
  ignore?: string[];
  /** The server's own opt-in (not a [tool.coldspy] key): quick fixes inside vendored libraries. */
  fixVendoredLibraries?: boolean;
}

/** Reads one `coldspy.*` setting by its key below `coldspy.` (e.g. `warningMs`). */
export type SettingReader = (key: string) => unknown;

export interface MappingContext {
  /** The workspace folder the settings are for, if any. */
  workspaceFolder?: string;
  homeDir?: string;
  platform?: NodeJS.Platform;
}

/** Problems found while mapping, for the output channel; mapping never fails. */
export type SettingsProblems = string[];

function pathModule(context: MappingContext): typeof path.posix {
  return (context.platform ?? process.platform) === 'win32' ? path.win32 : path.posix;
}

/** Expands `${workspaceFolder}`, `${userHome}` and a leading `~`, then resolves against the workspace folder. */
export function expandPath(value: string, context: MappingContext): string {
  const home = context.homeDir ?? os.homedir();
  const p = pathModule(context);
  let expanded = value.trim();
  if (context.workspaceFolder) {
    expanded = expanded.split('${workspaceFolder}').join(context.workspaceFolder);
  }
  expanded = expanded.split('${userHome}').join(home);
  if (expanded === '~' || expanded.startsWith('~/')) {
    expanded = home + expanded.slice(1);
  }
  if (!p.isAbsolute(expanded) && context.workspaceFolder) {
    expanded = p.join(context.workspaceFolder, expanded);
  }
  return p.normalize(expanded);
}

const THRESHOLDS = ['minMs', 'warningMs', 'errorMs'] as const;

function stringList(read: SettingReader, key: string, problems: SettingsProblems): string[] | undefined {
  const value = read(key);
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.push(`coldspy.${key} must be a list, not ${JSON.stringify(value)} (ignored)`);
    return undefined;
  }
  const strings: string[] = [];
  for (const item of value) {
    if (typeof item === 'string' && item.trim()) {
      strings.push(item.trim());
    } else {
      problems.push(`coldspy.${key}: ${JSON.stringify(item)} is not a name or path (ignored)`);
    }
  }
  return strings;
}

/** The server's view of the `coldspy.*` settings of one workspace folder. */
export function toServerSettings(read: SettingReader, context: MappingContext): { settings: ServerSettings; problems: SettingsProblems } {
  const problems: SettingsProblems = [];
  const settings: ServerSettings = {};

  // An empty list means "not set": it would otherwise hide every profile, which nobody asks for.
  const profiles = stringList(read, 'profiles', problems);
  if (profiles && profiles.length > 0) {
    settings.profiles = [...new Set(profiles.map((p) => expandPath(p, context)))];
  }
  for (const key of THRESHOLDS) {
    const value = read(key);
    if (value === undefined || value === null) {
      continue;
    }
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
      settings[key] = value;
    } else {
      problems.push(`coldspy.${key} must be a number of milliseconds (0 or more), not ${JSON.stringify(value)} (ignored)`);
    }
  }
  const target = read('targetPython');
  if (typeof target === 'string' && /^3\.\d{1,2}$/.test(target.trim())) {
    settings.targetPython = target.trim();
  } else if (target !== undefined && target !== null && target !== '') {
    problems.push(`coldspy.targetPython must be a Python version such as "3.12", not ${JSON.stringify(target)} (ignored)`);
  }
  const ignoreModules = stringList(read, 'ignoreModules', problems);
  if (ignoreModules && ignoreModules.length > 0) {
    settings.ignoreModules = ignoreModules;
  }
  const ignore = stringList(read, 'ignore', problems)?.map((code) => code.toUpperCase());
  if (ignore && ignore.length > 0) {
    const malformed = ignore.filter((code) => !/^CS\d{3}$/.test(code));
    malformed.forEach((code) => problems.push(`coldspy.ignore: "${code}" is not a rule code such as "CS105" (ignored)`));
    const codes = ignore.filter((code) => /^CS\d{3}$/.test(code));
    if (codes.length > 0) {
      settings.ignore = codes;
    }
  }
  if (read('fixVendoredLibraries') === true) {
    settings.fixVendoredLibraries = true;
  }
  const { warningMs, errorMs } = settings;
  if (warningMs !== undefined && errorMs !== undefined && warningMs > errorMs) {
    problems.push(`coldspy.warningMs (${warningMs}) is above coldspy.errorMs (${errorMs}): findings between them are errors`);
  }
  return { settings, problems };
}

/** The interpreter "Profile Handler…" runs the handler with, and where that choice came from (for the log). */
export interface ChosenInterpreter {
  python: string;
  source: 'coldspy.python.interpreter' | 'the Python extension' | 'default';
}

/**
 * The interpreter "Profile Handler…" runs the handler with: `coldspy.python.interpreter` when set (paths
 * resolved, a bare command such as `python3.12` left for PATH lookup) — a choice made for ColdSpy alone, as the
 * Python tool extensions' own interpreter settings are; else the interpreter selected in the Python extension
 * (`selectedByPythonExtension`, the one the user runs and tests the code with); else `python3` (`python` on
 * Windows).
 */
export function pythonInterpreter(read: SettingReader, context: MappingContext, selectedByPythonExtension?: string): ChosenInterpreter {
  const value = read('python.interpreter');
  if (typeof value === 'string' && value.trim()) {
    const trimmed = value.trim();
    const python = /[\\/]/.test(trimmed) || trimmed.startsWith('~') ? expandPath(trimmed, context) : trimmed;
    return { python, source: 'coldspy.python.interpreter' };
  }
  if (selectedByPythonExtension && selectedByPythonExtension.trim()) {
    return { python: selectedByPythonExtension.trim(), source: 'the Python extension' };
  }
  return { python: (context.platform ?? process.platform) === 'win32' ? 'python' : 'python3', source: 'default' };
}

/** Cold starts per "Profile Handler…" run: the setting, rounded and kept within 1–1000, else 5. */
export function coldStarts(read: SettingReader): number {
  const value = read('profiler.coldStarts');
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(1000, Math.max(1, Math.round(value))) : 5;
}

/**
 * The value for one `workspace/configuration` item: the whole object for section "coldspy", a key of it for
 * "coldspy.<key>" (null when not set), not handled for other sections (answered from the raw settings).
 */
export function sectionOf(settings: ServerSettings, section: string): { handled: boolean; value?: unknown } {
  if (section === 'coldspy') {
    return { handled: true, value: settings };
  }
  const key = section.startsWith('coldspy.') ? section.slice('coldspy.'.length) : undefined;
  const known: (keyof ServerSettings)[] = ['profiles', ...THRESHOLDS, 'targetPython', 'ignoreModules', 'ignore'];
  if (key && (known as string[]).includes(key)) {
    return { handled: true, value: settings[key as keyof ServerSettings] ?? null };
  }
  return { handled: false };
}

/** Settings whose change needs a new server process (everything else reaches the running server). */
export const RESTART_SETTINGS = ['coldspy.java.home'];
