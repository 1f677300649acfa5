// How the server's JVM is started: the flags chosen by measurement (docs/benchmarks.md, "VS Code: server
// start") and an application class-data archive (AppCDS) kept per server jar and Java runtime. The first start
// with a given jar and Java records the classes it loads and writes them at exit (-XX:ArchiveClassesAtExit,
// into a temporary file renamed once the JVM has exited by itself); later starts map them
// (-XX:SharedArchiveFile), which saves most of the class loading of the start. The JVM checks an archive
// against its jar and itself; when it cannot use one it says so on stderr and runs without it, and the archive
// is then deleted so that the next start makes a new one. No VS Code API here.
import { createHash } from 'crypto';
import * as path from 'path';

/**
 * Flags of every start. C1 only (TieredStopAtLevel=1): the server's work is short bursts per keystroke, where
 * C2's compile time never pays back; the serial collector: one GC thread, the smallest start cost, and pauses
 * of a few ms on this heap size. JVM log output goes to stderr (by default it goes to stdout, which carries
 * JSON-RPC) at warning level, where the archive checks below read it.
 */
export const START_FLAGS: readonly string[] = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xlog:disable', '-Xlog:all=warning:stderr'];

/** What identifies a server jar and a Java runtime for an archive: the JVM rejects an archive if either changed. */
export interface ArchiveIdentity {
  jar: { path: string; size: number; mtimeMs: number };
  java: { executable: string; version: string };
}

/** `coldspy-<hash>.jsa`: one name per jar and Java, so a new version of either never meets an old archive. */
export function archiveFileName(identity: ArchiveIdentity): string {
  const key = JSON.stringify([identity.jar.path, identity.jar.size, Math.trunc(identity.jar.mtimeMs), identity.java.executable, identity.java.version]);
  return `coldspy-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.jsa`;
}

/** How one server start uses the archive of its jar and Java. */
export type ArchivePlan =
  /** Map the existing archive. */
  | { mode: 'use'; archive: string }
  /** Record the classes and write them at exit into `partial`, to be renamed to `archive`. */
  | { mode: 'create'; archive: string; partial: string };

/**
 * Uses the archive in `folder` when it exists, else creates it. `partialSuffix` keeps two windows starting at
 * once from writing into the same file.
 */
export function planArchive(folder: string, identity: ArchiveIdentity, exists: (file: string) => boolean, partialSuffix: string): ArchivePlan {
  const archive = path.join(folder, archiveFileName(identity));
  return exists(archive) ? { mode: 'use', archive } : { mode: 'create', archive, partial: `${archive}.${partialSuffix}.partial` };
}

/**
 * The command line after `java`: the start flags, the archive's flags, the jar and `serve`. While creating an
 * archive the JVM's class-data-sharing log is off: at exit it lists every class it leaves out (picocli's Java 5
 * classes, proxies), which is no concern of the user's and would fill the output channel with warnings.
 */
export function serverArguments(jar: string, plan: ArchivePlan | undefined): string[] {
  const archive =
    plan === undefined ? [] : plan.mode === 'use' ? [`-XX:SharedArchiveFile=${plan.archive}`] : [`-XX:ArchiveClassesAtExit=${plan.partial}`, '-Xlog:cds*=off:stderr'];
  return [...START_FLAGS, ...archive, '-jar', jar, 'serve'];
}

/**
 * Whether a line the JVM printed on stderr says it did not use the archive it was given, e.g.
 * `[0.018s][warning][cds,dynamic] Unable to use shared archive. The top archive failed to load: …` (jar or JVM
 * changed, file damaged). Any warning or error of the class-data-sharing log counts: with an archive that works
 * the JVM prints none.
 */
export function archiveRejected(stderrLine: string): boolean {
  return /\[(warning|error)\s*\]\[cds[\],]/.test(stderrLine) || /shared archive file/i.test(stderrLine);
}

/** A line of the server's own log on stderr ("coldspy info: …"), which it also sends as window/logMessage. */
export function isServerLogLine(stderrLine: string): boolean {
  return /^coldspy (info|warning|error|log): /.test(stderrLine);
}

/**
 * What to do with a created archive once its JVM is gone: keep it when the JVM ended by itself (it writes the
 * archive on its way out, after `exit`), drop it when it was killed (the file may be cut short).
 */
export function keepCreatedArchive(exitCode: number | null, signal: string | null, partialSize: number | undefined): boolean {
  return exitCode !== null && signal === null && partialSize !== undefined && partialSize > 0;
}

/** Files of `folder` that are archives of other jars or Javas, or leftovers of creations that never finished. */
export function staleArchiveFiles(files: string[], current: string, partialsOlderThan: (file: string) => boolean): string[] {
  const name = path.basename(current);
  return files.filter((file) => {
    if (file.endsWith('.partial')) {
      return partialsOlderThan(file);
    }
    return /^coldspy-[0-9a-f]{16}\.jsa$/.test(file) && file !== name;
  });
}
