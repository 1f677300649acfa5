package dev.coldspy.intellij.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * How the plugin starts the ColdSpy server's JVM: the start flags measured for the editor clients
 * (docs/benchmarks.md, "VS Code: server start"; the VS Code client's {@code serverJvm.ts} uses the same) and an
 * application class-data archive per server jar and Java runtime in the IDE's system folder. The server runs on
 * the IDE's own runtime (JetBrains Runtime 21 for the IDEs this plugin supports), so the JVM keeps the archive
 * itself: {@code -XX:+AutoCreateSharedArchive} (Java 19+) writes it when the JVM exits (after a real session),
 * maps it on later starts, and writes it again when it no longer matches the jar or the JVM. On an older Java
 * the server starts with the flags alone.
 */
public final class ServerJvm {
  /**
   * Flags of every start: C1 only (the server's work is short bursts, where C2's compile time never pays back),
   * the serial collector (one GC thread, the cheapest start), and JVM log output on stderr at warning level
   * (by default it goes to stdout, which carries JSON-RPC).
   */
  public static final List<String> START_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:all=warning:stderr");

  /** The first Java release with {@code -XX:+AutoCreateSharedArchive}. */
  static final int AUTO_ARCHIVE_SINCE = 19;

  private ServerJvm() {}

  /** What an archive belongs to: the JVM refuses one made with another jar or another JVM build. */
  public record ArchiveIdentity(Path jar, long jarSize, long jarModifiedMillis, Path javaHome, String javaVersion) {
    /** The identity of {@code jar} run by the Java of this process (the IDE's runtime). */
    public static ArchiveIdentity of(Path jar, Path javaHome, String javaVersion) throws IOException {
      return new ArchiveIdentity(jar, Files.size(jar), Files.getLastModifiedTime(jar).toMillis(), javaHome, javaVersion);
    }
  }

  /** {@code coldspy-<hash>.jsa}: one name per jar and Java, so a new version of either never meets an old archive. */
  public static String archiveFileName(ArchiveIdentity identity) {
    String key = String.join("\n", identity.jar().toString(), Long.toString(identity.jarSize()),
        Long.toString(identity.jarModifiedMillis()), identity.javaHome().toString(), identity.javaVersion());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "coldspy-" + HexFormat.of().formatHex(digest, 0, 8) + ".jsa";
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every Java has SHA-256", impossible);
    }
  }

  /**
   * The JVM options of a server start (to go before {@code -jar}): the start flags and, on Java 19 or newer, the
   * archive of {@code identity} in {@code archiveFolder}.
   */
  public static List<String> options(Path archiveFolder, ArchiveIdentity identity, int javaFeatureRelease) {
    List<String> options = new ArrayList<>(START_FLAGS);
    if (javaFeatureRelease >= AUTO_ARCHIVE_SINCE) {
      options.add("-XX:+AutoCreateSharedArchive");
      options.add("-XX:SharedArchiveFile=" + archiveFolder.resolve(archiveFileName(identity)));
      // The JVM handles a stale archive itself; its class-data-sharing notes (every class a new archive leaves
      // out, an old archive it replaces) would only fill the server's log in LSP4IJ's console with warnings.
      options.add("-Xlog:cds*=off:stderr");
    }
    return options;
  }

  /** {@code command} ({@code java … -jar jar serve}) with {@code options} right after the java executable. */
  public static List<String> withOptions(List<String> command, List<String> options) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no command to add JVM options to");
    }
    List<String> result = new ArrayList<>(command.size() + options.size());
    result.add(command.get(0));
    result.addAll(options);
    result.addAll(command.subList(1, command.size()));
    return result;
  }

  /**
   * Deletes the archives of other jars or Javas from {@code archiveFolder} (a plugin update leaves the old one
   * behind). An archive another IDE still has mapped may refuse to go (Windows): it stays for the next time.
   */
  public static void deleteOtherArchives(Path archiveFolder, ArchiveIdentity current) throws IOException {
    if (!Files.isDirectory(archiveFolder)) {
      return;
    }
    String keep = archiveFileName(current);
    try (DirectoryStream<Path> archives = Files.newDirectoryStream(archiveFolder, "coldspy-*.jsa")) {
      for (Path archive : archives) {
        if (!archive.getFileName().toString().equals(keep)) {
          try {
            Files.deleteIfExists(archive);
          } catch (IOException inUse) {
            // still mapped by a running server of another IDE instance
          }
        }
      }
    }
  }
}
