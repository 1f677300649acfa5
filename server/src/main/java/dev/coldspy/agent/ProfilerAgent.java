package dev.coldspy.agent;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Python profiler agent ({@code profiler/coldspy}) that the build embeds under {@code agent/} in the jar,
 * and how to run it: the files are extracted once into a cache directory named after their digest (so a new
 * jar never runs an old agent, and concurrent runs share one copy), then {@code python -m coldspy} runs there.
 */
public final class ProfilerAgent {
  /** Where the build puts the agent inside the jar (server/pom.xml). */
  static final String RESOURCE_ROOT = "agent";

  private final SortedMap<String, byte[]> files;
  private final String digest;

  /**
   * @param files path relative to the agent root ({@code coldspy/__main__.py}) → content
   */
  ProfilerAgent(SortedMap<String, byte[]> files) {
    this.files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    this.digest = digest(this.files);
  }

  /**
   * The agent embedded in this jar (or in {@code target/classes} when run from a build tree).
   *
   * @throws AgentException when this build does not embed the agent
   */
  public static ProfilerAgent embedded() {
    Path location;
    try {
      URI uri = ProfilerAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI();
      location = Path.of(uri);
    } catch (URISyntaxException | RuntimeException e) {
      throw new AgentException("cannot locate coldspy's own jar to extract the profiler agent: " + e.getMessage(), e);
    }
    try {
      if (Files.isDirectory(location)) {
        return fromDirectory(location.resolve(RESOURCE_ROOT));
      }
      try (FileSystem jar = FileSystems.newFileSystem(location)) {
        return fromDirectory(jar.getPath("/" + RESOURCE_ROOT));
      }
    } catch (IOException e) {
      throw new AgentException("cannot read the profiler agent embedded in " + location + ": " + e.getMessage(), e);
    }
  }

  /**
   * The agent files under {@code root} (which holds the {@code coldspy} package).
   *
   * @throws AgentException when there is no {@code coldspy/__main__.py} under it
   */
  static ProfilerAgent fromDirectory(Path root) throws IOException {
    SortedMap<String, byte[]> files = new TreeMap<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          files.put(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
        }
      }
    }
    if (!files.containsKey("coldspy/__main__.py")) {
      throw new AgentException("this build of coldspy.jar does not embed the profiler agent (no " + RESOURCE_ROOT
          + "/coldspy/__main__.py); rebuild it with 'mvn package' from a full checkout");
    }
    return new ProfilerAgent(files);
  }

  /** The agent files, relative path → content, sorted. */
  Map<String, byte[]> files() {
    return files;
  }

  /** SHA-256 over the sorted file names and contents, hex. */
  String digest() {
    return digest;
  }

  /**
   * Extracts the agent under {@code cacheRoot} (once per digest) and returns the directory that holds the
   * {@code coldspy} package. A half-written copy is never visible: files go to a temporary directory that is
   * then moved into place.
   */
  Path extract(Path cacheRoot) throws IOException {
    Path target = cacheRoot.resolve("agent-" + digest.substring(0, 16));
    if (isComplete(target)) {
      return target;
    }
    Files.createDirectories(cacheRoot);
    Path staging = Files.createTempDirectory(cacheRoot, "agent-extracting-");
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path destination = staging.resolve(file.getKey());
      Files.createDirectories(destination.getParent());
      Files.write(destination, file.getValue());
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteTree(staging);
      if (!isComplete(target)) {
        throw e;
      } // else another run extracted the same agent first: use its copy
    }
    return target;
  }

  /**
   * The command that runs the agent extracted at {@code agentHome} with {@code python}: {@code -c} puts the
   * agent first on {@code sys.path} (before the working directory, which {@code -m} would search first) and
   * calls its command line with {@code arguments}.
   */
  static List<String> command(String python, Path agentHome, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(python);
    command.add("-c");
    command.add("import sys; sys.path.insert(0, sys.argv.pop(1)); from coldspy.__main__ import main; sys.exit(main())");
    command.add(agentHome.toAbsolutePath().toString());
    command.addAll(arguments);
    return command;
  }

  /**
   * The per-user cache: the system property {@code coldspy.cache} when set, else
   * {@code $XDG_CACHE_HOME/coldspy}, else {@code ~/.cache/coldspy}.
   */
  static Path defaultCacheRoot() {
    String configured = System.getProperty("coldspy.cache");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("coldspy");
  }

  private static boolean isComplete(Path extracted) {
    return Files.isRegularFile(extracted.resolve("coldspy/__main__.py"));
  }

  private static String digest(SortedMap<String, byte[]> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        sha.update(file.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(file.getValue());
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
