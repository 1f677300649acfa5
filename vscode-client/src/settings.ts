// Maps the user's `coldspy.*` settings to what the server reads from `workspace/configuration` (section
// "coldspy") and receives in `workspace/didChangeConfiguration`: the same shape as the settings, with paths
// made absolute, variables expanded and inconsistent thresholds put in order. No VS Code API here.
import * as os from 'os';
import * as path from 'path';

/** The settings object the server gets for section "coldspy". */
export interface ServerSettings {
  profiles: { paths: string[] };
  severity: { errorMs: number; warningMs: number; informationMs: number };
  inlayHints: { enabled: boolean };
  python: { targetVersion: string | null; interpreter: string };
  profiler: { coldStarts: number; enabled: boolean };
}

export const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze({
  profiles: { paths: ['.coldspy/profiles'] },
  severity: { errorMs: 500, warningMs: 100, informationMs: 10 },
  inlayHints: { enabled: true },
  python: { targetVersion: null, interpreter: 'python3' },
  profiler: { coldStarts: 5, enabled: true },
});

/** Reads one `coldspy.*` setting by its key below `coldspy.` (e.g. `severity.errorMs`). */
export type SettingReader = (key: string) => unknown;

export interface MappingContext {
  /** The workspace folder the settings are for, if any. */
  workspaceFolder?: string;
  homeDir?: string;
  platform?: NodeJS.Platform;
  /** False in an untrusted workspace: the server must not run the profiler there. */
  trusted: boolean;
}

/** Problems found while mapping, for the output channel; mapping never fails. */
export type SettingsProblems = string[];

/** Expands `${workspaceFolder}`, `${userHome}` and a leading `~`, then resolves against the workspace folder. */
export function expandPath(value: string, context: MappingContext): string {
  const home = context.homeDir ?? os.homedir();
  const p = (context.platform ?? process.platform) === 'win32' ? path.win32 : path.posix;
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

function numberSetting(read: SettingReader, key: string, fallback: number, problems: SettingsProblems): number {
  const value = read(key);
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    problems.push(`coldspy.${key} must be a non-negative number, not ${JSON.stringify(value)}; using ${fallback}`);
    return fallback;
  }
  return value;
}

function targetVersion(read: SettingReader, problems: SettingsProblems): string | null {
  const value = read('python.targetVersion');
  if (value === undefined || value === null || value === '') {
    return null;
  }
  if (typeof value === 'string' && /^3\.\d{1,2}$/.test(value.trim())) {
    return value.trim();
  }
  problems.push(`coldspy.python.targetVersion must look like "3.12", not ${JSON.stringify(value)}; deciding from the project instead`);
  return null;
}

function profilePaths(read: SettingReader, context: MappingContext, problems: SettingsProblems): string[] {
  const value = read('profiles.paths');
  if (value === undefined || value === null) {
    return DEFAULT_SETTINGS.profiles.paths.map((p) => expandPath(p, context));
  }
  const entries = Array.isArray(value) ? value : [value];
  const paths: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string' && entry.trim()) {
      const expanded = expandPath(entry, context);
      if (!paths.includes(expanded)) {
        paths.push(expanded);
      }
    } else {
      problems.push(`coldspy.profiles.paths: ignoring ${JSON.stringify(entry)} (not a path)`);
    }
  }
  return paths;
}

function interpreter(read: SettingReader, context: MappingContext): string {
  const value = read('python.interpreter');
  if (typeof value === 'string' && value.trim()) {
    const trimmed = value.trim();
    // A bare command name ("python3.12") is looked up on PATH by whoever runs it; only paths are resolved.
    return /[\\/]/.test(trimmed) || trimmed.startsWith('~') ? expandPath(trimmed, context) : trimmed;
  }
  return (context.platform ?? process.platform) === 'win32' ? 'python' : DEFAULT_SETTINGS.python.interpreter;
}

/** The server's view of the `coldspy.*` settings of one workspace folder. */
export function toServerSettings(read: SettingReader, context: MappingContext): { settings: ServerSettings; problems: SettingsProblems } {
  const problems: SettingsProblems = [];
  const errorMs = numberSetting(read, 'severity.errorMs', DEFAULT_SETTINGS.severity.errorMs, problems);
  let warningMs = numberSetting(read, 'severity.warningMs', DEFAULT_SETTINGS.severity.warningMs, problems);
  let informationMs = numberSetting(read, 'severity.informationMs', DEFAULT_SETTINGS.severity.informationMs, problems);
  // The thresholds are cut-offs on one scale: a higher severity never needs less saving than a lower one.
  if (warningMs > errorMs) {
    problems.push(`coldspy.severity.warningMs (${warningMs}) is above coldspy.severity.errorMs (${errorMs}); using ${errorMs}`);
    warningMs = errorMs;
  }
  if (informationMs > warningMs) {
    problems.push(`coldspy.severity.informationMs (${informationMs}) is above coldspy.severity.warningMs (${warningMs}); using ${warningMs}`);
    informationMs = warningMs;
  }
  const inlay = read('inlayHints.enabled');
  const coldStarts = numberSetting(read, 'profiler.coldStarts', DEFAULT_SETTINGS.profiler.coldStarts, problems);
  const settings: ServerSettings = {
    profiles: { paths: profilePaths(read, context, problems) },
    severity: { errorMs, warningMs, informationMs },
    inlayHints: { enabled: typeof inlay === 'boolean' ? inlay : DEFAULT_SETTINGS.inlayHints.enabled },
    python: { targetVersion: targetVersion(read, problems), interpreter: interpreter(read, context) },
    profiler: { coldStarts: Math.max(1, Math.round(coldStarts)), enabled: context.trusted },
  };
  return { settings, problems };
}

/**
 * The value for one `workspace/configuration` item: the whole object for section "coldspy", the sub-object or
 * value for a dotted section below it ("coldspy.severity"), not handled for other sections.
 */
export function sectionOf(settings: ServerSettings, section: string): { handled: boolean; value?: unknown } {
  if (section === 'coldspy') {
    return { handled: true, value: settings };
  }
  if (!section.startsWith('coldspy.')) {
    return { handled: false };
  }
  let value: unknown = settings;
  for (const key of section.slice('coldspy.'.length).split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  // Keys the mapping does not know (e.g. coldspy.trace.server) are answered from the raw settings.
  return value === undefined ? { handled: false } : { handled: true, value };
}

/** Settings whose change needs a new server process (everything else reaches the running server). */
export const RESTART_SETTINGS = ['coldspy.java.home'];
