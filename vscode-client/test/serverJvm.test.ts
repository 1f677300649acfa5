import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as path from 'path';
import { archiveFileName, archiveRejected, isServerLogLine, keepCreatedArchive, planArchive, serverArguments, staleArchiveFiles, START_FLAGS } from '../src/serverJvm';

const identity = {
  jar: { path: '/ext/coldspy-0.1.0/server/coldspy.jar', size: 6363316, mtimeMs: 1764695400123.4 },
  java: { executable: '/usr/lib/jvm/java-17-openjdk-amd64/bin/java', version: '17.0.15' },
};

describe('class-data archive of the server', () => {
  it('is named after the jar and the Java, so a new version of either gets a new archive', () => {
    const name = archiveFileName(identity);
    assert.match(name, /^coldspy-[0-9a-f]{16}\.jsa$/);
    assert.equal(archiveFileName({ ...identity }), name);
    assert.notEqual(archiveFileName({ ...identity, jar: { ...identity.jar, mtimeMs: identity.jar.mtimeMs + 1000 } }), name);
    assert.notEqual(archiveFileName({ ...identity, jar: { ...identity.jar, size: identity.jar.size + 1 } }), name);
    assert.notEqual(archiveFileName({ ...identity, java: { ...identity.java, version: '17.0.16' } }), name);
    assert.notEqual(archiveFileName({ ...identity, java: { ...identity.java, executable: '/opt/jdk-21/bin/java' } }), name);
  });

  it('is created on the first start, into a file of its own, and used afterwards', () => {
    const folder = '/storage/class-data';
    const first = planArchive(folder, identity, () => false, '4242-1');
    assert.equal(first.mode, 'create');
    assert.equal(first.archive, path.join(folder, archiveFileName(identity)));
    assert.equal(first.mode === 'create' && first.partial, `${first.archive}.4242-1.partial`);
    assert.deepEqual(serverArguments('/ext/server/coldspy.jar', first), [
      ...START_FLAGS,
      `-XX:ArchiveClassesAtExit=${first.archive}.4242-1.partial`,
      '-Xlog:cds*=off:stderr',
      '-jar',
      '/ext/server/coldspy.jar',
      'serve',
    ]);

    const later = planArchive(folder, identity, (file) => file === first.archive, '4243-2');
    assert.deepEqual(later, { mode: 'use', archive: first.archive });
    assert.deepEqual(serverArguments('/ext/server/coldspy.jar', later), [...START_FLAGS, `-XX:SharedArchiveFile=${first.archive}`, '-jar', '/ext/server/coldspy.jar', 'serve']);
    assert.deepEqual(serverArguments('/ext/server/coldspy.jar', undefined), [...START_FLAGS, '-jar', '/ext/server/coldspy.jar', 'serve']);
  });

  it('sends every JVM log line to stderr, never to stdout where JSON-RPC flows', () => {
    const disable = START_FLAGS.indexOf('-Xlog:disable');
    assert.ok(disable >= 0, 'the default output (stdout) is switched off');
    assert.ok(START_FLAGS.slice(disable + 1).includes('-Xlog:all=warning:stderr'));
  });

  it('is dropped when the JVM says it could not use it', () => {
    // What OpenJDK 17 prints for an archive of another jar (or a damaged file) with START_FLAGS' logging.
    assert.equal(archiveRejected('[0.018s][warning][cds,dynamic] Unable to use shared archive. The top archive failed to load: /s/coldspy-1.jsa'), true);
    assert.equal(archiveRejected('[0.020s][warning][cds] shared class paths mismatch (hint: enable -Xlog:class+path=info to diagnose the failure)'), true);
    assert.equal(archiveRejected('[0.020s][error  ][cds] An error has occurred while processing the shared archive file.'), true);
    assert.equal(archiveRejected('INFO coldspy: loaded 1 profile'), false);
    assert.equal(archiveRejected('[0.5s][warning][gc] something else'), false);
  });

  it('tells the server\'s own log lines on stderr (sent as window/logMessage too) from the JVM\'s', () => {
    assert.equal(isServerLogLine('coldspy info: profiler: Traceback (most recent call last):'), true);
    assert.equal(isServerLogLine('coldspy error: cannot read /app/.coldspy/profiles/a.json: not JSON'), true);
    assert.equal(isServerLogLine('[0.018s][warning][cds,dynamic] Unable to use shared archive.'), false);
    assert.equal(isServerLogLine('Exception in thread "main" java.lang.OutOfMemoryError: Java heap space'), false);
  });

  it('is kept only when its JVM ended by itself after writing something', () => {
    assert.equal(keepCreatedArchive(0, null, 1630208), true);
    assert.equal(keepCreatedArchive(1, null, 1630208), true, 'exit status 1 (exit without shutdown) still writes the archive');
    assert.equal(keepCreatedArchive(null, 'SIGKILL', 1630208), false);
    assert.equal(keepCreatedArchive(0, null, 0), false);
    assert.equal(keepCreatedArchive(0, null, undefined), false);
  });

  it('replaces the archives of other jars or Javas, and old unfinished ones', () => {
    const current = '/storage/class-data/coldspy-00112233aabbccdd.jsa';
    const files = [
      'coldspy-00112233aabbccdd.jsa',
      'coldspy-ffffffffffffffff.jsa',
      'coldspy-00112233aabbccdd.jsa.99-1.partial',
      'coldspy-00112233aabbccdd.jsa.98-1.partial',
      'notes.txt',
    ];
    const old = (file: string) => file.includes('.98-');
    assert.deepEqual(staleArchiveFiles(files, current, old), ['coldspy-ffffffffffffffff.jsa', 'coldspy-00112233aabbccdd.jsa.98-1.partial']);
  });
});
