import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JavaProbe, parseJavaVersion, resolveJava, resolveJavaRemembered } from '../src/java';

const banner = (version: string) => `openjdk version "${version}" 2025-04-15\nOpenJDK Runtime Environment (build ${version}+6)\n`;

/**
 * A machine with the given java executables (path → `-version` output, or an Error when it cannot run) and the
 * `release` files of some of them (executable → text); `ran` lists the executables whose `-version` ran.
 */
function machine(
  javas: Record<string, string | Error>,
  env: Record<string, string>,
  platform: NodeJS.Platform = 'linux',
  releases: Record<string, string> = {},
): JavaProbe & { ran: string[] } {
  const ran: string[] = [];
  return {
    platform,
    env,
    ran,
    isFile: (file) => file in javas,
    releaseFile: (java) => releases[java],
    versionOutput: async (java) => {
      ran.push(java);
      const output = javas[java];
      if (output instanceof Error) {
        throw output;
      }
      return output;
    },
  };
}

describe('parseJavaVersion', () => {
  it('reads modern OpenJDK banners', () => {
    assert.deepEqual(parseJavaVersion(banner('17.0.15')), { version: '17.0.15', major: 17 });
    assert.deepEqual(parseJavaVersion('openjdk version "21" 2023-09-19'), { version: '21', major: 21 });
    assert.deepEqual(parseJavaVersion('openjdk version "25-ea" 2025-09-16'), { version: '25-ea', major: 25 });
  });

  it('reads the 1.x scheme of Java 8 and older', () => {
    assert.deepEqual(parseJavaVersion('java version "1.8.0_292"\nJava(TM) SE Runtime Environment'), { version: '1.8.0_292', major: 8 });
  });

  it('skips JVM warnings printed before the banner', () => {
    const output = 'Picked up JAVA_TOOL_OPTIONS: -Xmx1g\nopenjdk version "11.0.2" 2019-01-15\n';
    assert.equal(parseJavaVersion(output)?.major, 11);
  });

  it('reads the short banner of `java --version`', () => {
    assert.equal(parseJavaVersion('openjdk 17.0.15 2025-04-15\nOpenJDK Runtime Environment')?.major, 17);
  });

  it('returns undefined for text that is not a Java banner', () => {
    assert.equal(parseJavaVersion('bash: java: command not found'), undefined);
    assert.equal(parseJavaVersion(''), undefined);
  });
});

describe('resolveJava', () => {
  it("reads the version from the runtime's release file without running `java -version`", async () => {
    const probe = machine(
      { '/opt/jdk8/bin/java': banner('1.8.0_292'), '/usr/bin/java': banner('17.0.15') },
      { JAVA_HOME: '/opt/jdk8', PATH: '/usr/bin' },
      'linux',
      { '/opt/jdk8/bin/java': 'IMPLEMENTOR="Temurin"\nJAVA_VERSION="1.8.0_292"\n', '/usr/bin/java': 'JAVA_VERSION="17.0.15"\nOS_NAME="Linux"\n' },
    );
    const result = await resolveJava(undefined, probe);
    assert.ok(result.ok);
    assert.equal(result.executable, '/usr/bin/java');
    assert.equal(result.version, '17.0.15');
    assert.equal(result.checked[0].problem, 'Java 1.8.0_292 is too old');
    assert.deepEqual(probe.ran, []);
  });

  it('runs `java -version` when the release file is missing or names no version', async () => {
    const probe = machine({ '/opt/jdk/bin/java': banner('21.0.2') }, { JAVA_HOME: '/opt/jdk' }, 'linux', { '/opt/jdk/bin/java': 'IMPLEMENTOR="x"\n' });
    const result = await resolveJava(undefined, probe);
    assert.ok(result.ok);
    assert.equal(result.major, 21);
    assert.deepEqual(probe.ran, ['/opt/jdk/bin/java']);
  });

  it('prefers coldspy.java.home over JAVA_HOME and PATH', async () => {
    const probe = machine(
      { '/opt/jdk21/bin/java': banner('21.0.1'), '/usr/lib/jvm/17/bin/java': banner('17.0.9'), '/usr/bin/java': banner('17.0.15') },
      { JAVA_HOME: '/usr/lib/jvm/17', PATH: '/usr/bin' },
    );
    const result = await resolveJava('/opt/jdk21', probe);
    assert.ok(result.ok);
    assert.equal(result.executable, '/opt/jdk21/bin/java');
    assert.equal(result.source, 'coldspy.java.home');
    assert.equal(result.major, 21);
  });

  it('falls back to JAVA_HOME, then to the first java on PATH', async () => {
    const probe = machine({ '/usr/lib/jvm/17/bin/java': banner('17.0.9'), '/usr/bin/java': banner('21') }, { JAVA_HOME: '/usr/lib/jvm/17', PATH: '/usr/bin' });
    const fromHome = await resolveJava('', probe);
    assert.ok(fromHome.ok);
    assert.equal(fromHome.source, 'JAVA_HOME');

    const pathOnly = machine({ '/opt/bin/java': banner('17.0.2'), '/usr/bin/java': banner('21') }, { PATH: '/nowhere:/opt/bin:/usr/bin' });
    const fromPath = await resolveJava(undefined, pathOnly);
    assert.ok(fromPath.ok);
    assert.equal(fromPath.executable, '/opt/bin/java');
    assert.equal(fromPath.source, 'PATH');
  });

  it('skips a Java that is too old and says so', async () => {
    const probe = machine({ '/usr/lib/jvm/8/bin/java': 'java version "1.8.0_292"', '/usr/bin/java': banner('17.0.15') }, { JAVA_HOME: '/usr/lib/jvm/8', PATH: '/usr/bin' });
    const result = await resolveJava(undefined, probe);
    assert.ok(result.ok);
    assert.equal(result.executable, '/usr/bin/java');
    assert.deepEqual(result.checked[0], { source: 'JAVA_HOME', location: '/usr/lib/jvm/8', problem: 'Java 1.8.0_292 is too old' });
  });

  it('reports a configured home without a java in it, and one whose java cannot run', async () => {
    const probe = machine({ '/broken/bin/java': new Error('EACCES') }, { JAVA_HOME: '/broken', PATH: '' });
    const result = await resolveJava('/empty', probe);
    assert.equal(result.ok, false);
    assert.equal(result.checked[0].problem, 'no bin/java in it');
    assert.match(result.checked[1].problem!, /-version` failed: EACCES/);
    assert.equal(result.checked[2].problem, 'no `java` on PATH');
  });

  it('tells plainly what to install when nothing fits', async () => {
    const probe = machine({ '/usr/bin/java': banner('11.0.2') }, { PATH: '/usr/bin' });
    const result = await resolveJava(undefined, probe);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.message, /ColdSpy needs Java 17 or newer/);
      assert.match(result.message, /PATH: Java 11\.0\.2 is too old/);
      assert.match(result.message, /sudo apt install openjdk-17-jre-headless/);
      assert.match(result.message, /"coldspy\.java\.home"/);
    }
  });

  it('uses java.exe and ; on Windows', async () => {
    const probe = machine({ 'C:\\jdk\\bin\\java.exe': banner('17.0.1') }, { Path: 'C:\\Windows;C:\\jdk\\bin' }, 'win32');
    const result = await resolveJava(undefined, probe);
    assert.ok(result.ok);
    assert.equal(result.executable, 'C:\\jdk\\bin\\java.exe');
  });
});

describe('resolveJavaRemembered', () => {
  const java17 = '/usr/lib/jvm/17/bin/java';
  const probe = () => {
    let runs = 0;
    const base = machine({ [java17]: banner('17.0.15') }, { PATH: '/usr/lib/jvm/17/bin' });
    return {
      probe: { ...base, versionOutput: async (java: string) => (runs++, base.versionOutput(java)) },
      runs: () => runs,
    };
  };

  it('runs `java -version` once, then re-uses the answer while nothing it depends on changed', async () => {
    const { probe: p, runs } = probe();
    const stamp = () => '6400:1700000000000';
    const first = await resolveJavaRemembered(undefined, p, stamp, undefined);
    assert.equal(first.fromMemory, false);
    assert.equal(runs(), 1);
    assert.ok(first.remember);
    const second = await resolveJavaRemembered(undefined, p, stamp, first.remember);
    assert.equal(second.fromMemory, true);
    assert.deepEqual(second.resolution, first.resolution);
    assert.equal(runs(), 1);
  });

  it('examines again when the Java was updated in place, the setting changed or PATH changed', async () => {
    const { probe: p, runs } = probe();
    const first = await resolveJavaRemembered(undefined, p, () => '6400:1', undefined);
    assert.equal((await resolveJavaRemembered(undefined, p, () => '6401:2', first.remember)).fromMemory, false);
    assert.equal((await resolveJavaRemembered('/opt/jdk', p, () => '6400:1', first.remember)).fromMemory, false);
    const otherPath = { ...p, env: { PATH: '/usr/lib/jvm/17/bin:/usr/bin' } };
    assert.equal((await resolveJavaRemembered(undefined, otherPath, () => '6400:1', first.remember)).fromMemory, false);
    assert.equal(runs(), 4);
  });

  it('never remembers a failure', async () => {
    const none = machine({}, { PATH: '/nowhere' });
    const result = await resolveJavaRemembered(undefined, none, () => 'missing', undefined);
    assert.equal(result.resolution.ok, false);
    assert.equal(result.remember, undefined);
  });
});
