// Finds a Java runtime able to run the ColdSpy server: the `coldspy.java.home` setting, then JAVA_HOME, then
// `java` on PATH; the first one that is Java 17 or newer wins. Its version comes from the runtime's `release`
// file, and only without one from `java -version` (a JVM start of its own, 0.1–0.3 s before the server's JVM
// can start). No VS Code API here so that it is unit-tested with a fake file system and a fake `java -version`.
import * as path from 'path';

export const MINIMUM_JAVA_MAJOR = 17;

/** What the resolver may ask of the machine; the extension passes the real thing, tests a fake. */
export interface JavaProbe {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  isFile(file: string): boolean;
  /**
   * The text of the runtime's `release` file (in the home of the executable's real path), or undefined when it
   * has none: read instead of running `-version`, which costs a JVM start.
   */
  releaseFile(javaExecutable: string): string | undefined;
  /** The combined stdout+stderr of `<java> -version`; rejects when the program cannot run. */
  versionOutput(javaExecutable: string): Promise<string>;
}

export type JavaSource = 'coldspy.java.home' | 'JAVA_HOME' | 'PATH';

export interface JavaCandidateReport {
  source: JavaSource;
  /** The home folder or executable that was looked at. */
  location: string;
  /** Why it was not used; absent for the chosen one. */
  problem?: string;
}

export type JavaResolution =
  | { ok: true; executable: string; version: string; major: number; source: JavaSource; checked: JavaCandidateReport[] }
  | { ok: false; checked: JavaCandidateReport[]; message: string };

/**
 * The version string and major release of a `java -version` banner, e.g. `openjdk version "17.0.15" 2025-04-15`
 * → 17, `java version "1.8.0_292"` → 8, `openjdk version "25-ea"` → 25. Undefined when the text is not one.
 */
export function parseJavaVersion(output: string): { version: string; major: number } | undefined {
  const match = /(?:java|jdk)\s+version\s+"([^"]+)"/i.exec(output) ?? /^(?:openjdk|java)\s+(\d[\w.+-]*)/im.exec(output);
  if (!match) {
    return undefined;
  }
  const version = match[1];
  const parts = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (!parts) {
    return undefined;
  }
  // Up to Java 8 the banner said "1.8.0_x"; from 9 on the first number is the release.
  const major = parts[1] === '1' && parts[2] !== undefined ? Number(parts[2]) : Number(parts[1]);
  return { version, major };
}

/**
 * The version of a runtime's `release` file (every JDK and JRE image since Java 9 has one; many Java 8 builds
 * too), e.g. `JAVA_VERSION="17.0.15"` → 17, `JAVA_VERSION="1.8.0_292"` → 8. Undefined without that line.
 */
export function parseReleaseFile(text: string): { version: string; major: number } | undefined {
  const match = /^JAVA_VERSION="([^"]+)"/m.exec(text);
  return match ? parseJavaVersion(`java version "${match[1]}"`) : undefined;
}

function javaExecutableName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'java.exe' : 'java';
}

function pathModule(platform: NodeJS.Platform): typeof path.posix {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** `java` on the PATH of `env`, as the shell would find it, or undefined. */
export function findOnPath(probe: JavaProbe): string | undefined {
  const p = pathModule(probe.platform);
  const pathVariable = probe.env.PATH ?? probe.env.Path ?? '';
  const separator = probe.platform === 'win32' ? ';' : ':';
  for (const folder of pathVariable.split(separator)) {
    if (folder) {
      const candidate = p.join(folder, javaExecutableName(probe.platform));
      if (probe.isFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

async function examine(
  probe: JavaProbe,
  source: JavaSource,
  location: string,
  executable: string | undefined,
): Promise<{ report: JavaCandidateReport; version?: { version: string; major: number } }> {
  if (!executable || !probe.isFile(executable)) {
    const what = source === 'PATH' ? 'no `java` on PATH' : `no ${pathModule(probe.platform).join('bin', javaExecutableName(probe.platform))} in it`;
    return { report: { source, location, problem: what } };
  }
  const release = probe.releaseFile(executable);
  let version = release === undefined ? undefined : parseReleaseFile(release);
  if (!version) {
    let output: string;
    try {
      output = await probe.versionOutput(executable);
    } catch (error) {
      return { report: { source, location, problem: `\`${executable} -version\` failed: ${(error as Error).message}` } };
    }
    version = parseJavaVersion(output);
  }
  if (!version) {
    return { report: { source, location, problem: `\`${executable} -version\` did not print a Java version` } };
  }
  if (version.major < MINIMUM_JAVA_MAJOR) {
    return { report: { source, location, problem: `Java ${version.version} is too old` }, version };
  }
  return { report: { source, location }, version };
}

interface JavaCandidate {
  source: JavaSource;
  location: string;
  executable: string | undefined;
}

/** The places looked at, in order: the configured Java home, JAVA_HOME, `java` on PATH. */
function javaCandidates(configuredHome: string | undefined, probe: JavaProbe): JavaCandidate[] {
  const p = pathModule(probe.platform);
  const inHome = (home: string) => p.join(home, 'bin', javaExecutableName(probe.platform));
  const candidates: JavaCandidate[] = [];
  if (configuredHome && configuredHome.trim()) {
    candidates.push({ source: 'coldspy.java.home', location: configuredHome.trim(), executable: inHome(configuredHome.trim()) });
  }
  const javaHome = probe.env.JAVA_HOME;
  if (javaHome && javaHome.trim()) {
    candidates.push({ source: 'JAVA_HOME', location: javaHome.trim(), executable: inHome(javaHome.trim()) });
  }
  const onPath = findOnPath(probe);
  candidates.push({ source: 'PATH', location: onPath ?? 'PATH', executable: onPath });
  return candidates;
}

/**
 * Looks at the configured Java home, JAVA_HOME and PATH in this order and picks the first Java ≥ 17.
 * When none fits, `message` says what was found where and what to install.
 */
export async function resolveJava(configuredHome: string | undefined, probe: JavaProbe): Promise<JavaResolution> {
  const checked: JavaCandidateReport[] = [];
  for (const candidate of javaCandidates(configuredHome, probe)) {
    const { report, version } = await examine(probe, candidate.source, candidate.location, candidate.executable);
    checked.push(report);
    if (!report.problem && version && candidate.executable) {
      return { ok: true, executable: candidate.executable, version: version.version, major: version.major, source: candidate.source, checked };
    }
  }
  return { ok: false, checked, message: noSuitableJavaMessage(checked, probe.platform) };
}

/**
 * What a resolution depends on: the setting, JAVA_HOME, PATH and, for each executable looked at, what
 * `fingerprint` says of it (size and modification time: a Java updated in place is examined again). Two equal
 * keys give the same resolution, so a remembered one saves the `java -version` run (a JVM start of its own)
 * before every server start.
 */
export function javaResolutionKey(configuredHome: string | undefined, probe: JavaProbe, fingerprint: (file: string) => string): string {
  const executables = javaCandidates(configuredHome, probe).map((c) => (c.executable ? `${c.executable}=${fingerprint(c.executable)}` : c.location));
  return JSON.stringify([configuredHome?.trim() ?? '', probe.env.JAVA_HOME ?? '', probe.env.PATH ?? probe.env.Path ?? '', executables]);
}

/** A resolution remembered under a key (see javaResolutionKey); only successful ones are remembered. */
export interface RememberedJava {
  key: string;
  resolution: Extract<JavaResolution, { ok: true }>;
}

/** The remembered resolution when its key is the current one, else a new one (returned with what to remember). */
export async function resolveJavaRemembered(
  configuredHome: string | undefined,
  probe: JavaProbe,
  fingerprint: (file: string) => string,
  remembered: RememberedJava | undefined,
): Promise<{ resolution: JavaResolution; remember?: RememberedJava; fromMemory: boolean }> {
  const key = javaResolutionKey(configuredHome, probe, fingerprint);
  if (remembered?.key === key && remembered.resolution?.ok) {
    return { resolution: remembered.resolution, fromMemory: true };
  }
  const resolution = await resolveJava(configuredHome, probe);
  return { resolution, remember: resolution.ok ? { key, resolution } : undefined, fromMemory: false };
}

function installAdvice(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'linux':
      return 'install a Java 17 (or newer) runtime, e.g. `sudo apt install openjdk-17-jre-headless` on Debian/Ubuntu or `sudo dnf install java-17-openjdk-headless` on Fedora';
    case 'darwin':
      return 'install a Java 17 (or newer) runtime, e.g. `brew install openjdk@17` or Eclipse Temurin 17 from adoptium.net';
    default:
      return 'install a Java 17 (or newer) runtime, e.g. Eclipse Temurin 17 from adoptium.net';
  }
}

function noSuitableJavaMessage(checked: JavaCandidateReport[], platform: NodeJS.Platform): string {
  const found = checked.map((c) => `${c.source}${c.source === 'PATH' ? '' : ` (${c.location})`}: ${c.problem}`).join('; ');
  return (
    `ColdSpy needs Java ${MINIMUM_JAVA_MAJOR} or newer to run its language server, and found none (${found}). ` +
    `To fix it, ${installAdvice(platform)}, then set "coldspy.java.home" to its folder (or JAVA_HOME) and run "ColdSpy: Restart Server".`
  );
}
