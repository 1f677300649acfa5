package dev.coldspy.profile.s3;

import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileFormatException;
import dev.coldspy.profile.ProfileReader;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.profile.ProfileSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads every profile under {@code s3://bucket/prefix} locations and merges those of one app, as
 * {@code ProfileLoader} does for files: thousands of objects (one per Lambda execution environment) are
 * listed page by page and downloaded by a bounded number of threads, each object streamed to a scratch file
 * and read by {@link ProfileReader} (so the kind is decided as for a local file, from its name and content),
 * then deleted. An object that cannot be read is reported by its {@code s3://} URI and left out; the others
 * still load.
 *
 * <p>Memory: downloads in flight are bounded (at most {@code 2 × downloads} objects are queued or being
 * read, and they are on disk, not in memory); the parsed profiles are kept until {@link ProfileSet#of} merges
 * them, as for local files. Determinism: profiles are merged in key order whatever order downloads finish in.
 */
public final class S3ProfileLoader {
  /**
   * Objects larger than this are reported, not downloaded: the readers refuse files above the same size
   * ({@code ReadLimits.MAX_FILE_BYTES}, package-private there), and a scratch disk should not fill first.
   */
  static final long MAX_OBJECT_BYTES = 64L << 20;

  /** Objects fetched at once by default: S3 latency, not bandwidth, bounds a download of a small profile. */
  public static final int DEFAULT_DOWNLOADS = 16;

  private final S3Client client;
  private final int downloads;
  private final int pageSize;

  /**
   * @param client the client to list and fetch with (see {@link S3Clients})
   * @param downloads how many objects are fetched and read at once
   * @param pageSize how many keys one list request asks for (S3 returns at most 1,000)
   */
  public S3ProfileLoader(S3Client client, int downloads, int pageSize) {
    if (downloads < 1 || pageSize < 1) {
      throw new IllegalArgumentException("downloads and pageSize must be positive");
    }
    this.client = client;
    this.downloads = downloads;
    this.pageSize = pageSize;
  }

  /** A loader with {@link #DEFAULT_DOWNLOADS} parallel downloads and S3's largest page. */
  public S3ProfileLoader(S3Client client) {
    this(client, DEFAULT_DOWNLOADS, 1000);
  }

  /**
   * The outcome of loading.
   *
   * @param profiles the merged profiles of one app, empty when no object could be used
   * @param errors one line per location that could not be listed and per object left out (unreadable,
   *     invalid, or of another app), each {@code "s3://bucket/key: <problem>"}, in key order
   * @param warnings problems survived while reading the used objects, each {@code "s3://bucket/key: <problem>"}
   * @param objectsRead how many objects were profiles by name and were fetched
   */
  public record Result(Optional<ProfileSet> profiles, List<String> errors, List<String> warnings, int objectsRead) {
    public Result {
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Reads every profile object ({@code *.json}, {@code *.pkl}, {@code *.pickle}, {@code *.log}) under the
   * locations, then merges the profiles of one app.
   *
   * @param expectedApp the app to keep, or null to keep the app most of the profiles belong to (ties: the app
   *     of the first object in key order)
   */
  public Result load(List<S3Location> locations, String expectedApp) {
    List<String> errors = new ArrayList<>();
    List<Fetched> fetched = new ArrayList<>();
    Path scratch;
    try {
      scratch = Files.createTempDirectory("coldspy-s3-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch directory for S3 downloads", e);
    }
    ExecutorService pool = Executors.newFixedThreadPool(downloads, daemonThreads());
    try {
      for (S3Location location : locations) {
        fetched.addAll(fetchAll(location, pool, scratch, errors));
      }
    } finally {
      pool.shutdownNow();
      deleteQuietly(scratch);
    }
    fetched.sort(Comparator.comparing(Fetched::uri));
    List<Fetched> read = new ArrayList<>();
    for (Fetched object : fetched) {
      if (object.profile() != null) {
        read.add(object);
      } else {
        errors.add(object.uri() + ": " + object.problem());
      }
    }
    String app = expectedApp != null ? expectedApp : majorityApp(read);
    List<Profile> kept = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (Fetched object : read) {
      Profile profile = object.profile();
      if (profile.app().name().equals(app)) {
        kept.add(profile);
        profile.readerWarnings().forEach(w -> warnings.add(object.uri() + ": " + w));
        profile.errors().forEach(e -> warnings.add(object.uri() + ": agent reported"
            + (e.coldStart() == null ? "" : " in cold start " + e.coldStart()) + ": " + e.message()));
      } else {
        errors.add(object.uri() + ": is a profile of app '" + profile.app().name() + "', not of '" + app
            + "'; left out of the merge");
      }
    }
    errors.sort(null);
    return new Result(kept.isEmpty() ? Optional.empty() : Optional.of(ProfileSet.of(kept)), errors, warnings,
        fetched.size());
  }

  /** One object: its profile, or why it could not be used. */
  private record Fetched(String uri, Profile profile, String problem) {}

  private List<Fetched> fetchAll(S3Location location, ExecutorService pool, Path scratch, List<String> errors) {
    // At most 2 × downloads objects are queued or in flight, so listing never runs far ahead of fetching.
    Semaphore slots = new Semaphore(2 * downloads);
    AtomicInteger sequence = new AtomicInteger();
    List<Future<Fetched>> pending = new ArrayList<>();
    // URL-encoded keys in the listing (the SDK decodes them): a key may hold characters XML 1.0 cannot carry.
    ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(location.bucket())
        .prefix(location.prefix()).maxKeys(pageSize).encodingType(EncodingType.URL).build();
    try {
      for (S3Object object : client.listObjectsV2Paginator(request).contents()) {
        String key = object.key();
        Path name = fileName(key);
        if (!location.contains(key) || name == null || !ProfileReader.looksLikeProfile(name)) {
          continue;
        }
        if (object.size() != null && object.size() > MAX_OBJECT_BYTES) {
          errors.add(location.uriOf(key) + ": is too large to be a profile: " + object.size()
              + " bytes, the limit is " + (MAX_OBJECT_BYTES >> 20) + " MB; not downloaded");
          continue;
        }
        slots.acquireUninterruptibly();
        Path folder = scratch.resolve(Integer.toString(sequence.getAndIncrement()));
        pending.add(pool.submit(() -> {
          try {
            return fetch(location, key, folder);
          } finally {
            slots.release();
          }
        }));
      }
    } catch (SdkException e) {
      errors.add(location + ": cannot list: " + describe(e));
    }
    List<Fetched> fetched = new ArrayList<>();
    for (Future<Fetched> future : pending) {
      try {
        fetched.add(future.get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("reading a profile from S3 failed unexpectedly", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading profiles from S3", e);
      }
    }
    return fetched;
  }

  /** Downloads one object into its own folder under its own file name (which tells the kind), reads it. */
  private Fetched fetch(S3Location location, String key, Path folder) {
    String uri = location.uriOf(key);
    Path file = folder.resolve(fileName(key));  // a profile's name: neither "." nor ".." (see fetchAll)
    try {
      Files.createDirectories(folder);
      try (InputStream in = client.getObject(b -> b.bucket(location.bucket()).key(key))) {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      Profile profile = ProfileReader.read(file);
      return new Fetched(uri, withSource(profile, uri), null);
    } catch (ProfileFormatException e) {
      return new Fetched(uri, null, e.problem());
    } catch (SdkException e) {
      return new Fetched(uri, null, "cannot fetch: " + describe(e));
    } catch (IOException e) {
      return new Fetched(uri, null, "cannot download to " + file + ": " + oneLine(e.getMessage()));
    } finally {
      deleteQuietly(folder);
    }
  }

  /**
   * The profile with its S3 object as its source, so that messages and the merge order name the object, not
   * the scratch file. A {@link Path} cannot hold {@code //}, so the source reads {@code s3:/bucket/key}.
   */
  private static Profile withSource(Profile profile, String uri) {
    return new Profile(new ProfileSource(Path.of(uri), profile.source().kind()), profile.app(),
        profile.environment(), profile.settings(), profile.startedAt(), profile.files(), profile.coldStarts(),
        profile.callTree(), profile.errors(), profile.readerWarnings());
  }

  /** The key's last segment as a file name, or null for a folder marker or a name no file can have here. */
  private static Path fileName(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    try {
      return name.isEmpty() ? null : Path.of(name);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  private static String majorityApp(List<Fetched> objects) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Fetched object : objects) { // in key order, so ties go to the first object's app
      counts.merge(object.profile().app().name(), 1, Integer::sum);
    }
    return counts.entrySet().stream()
        .reduce((best, next) -> next.getValue() > best.getValue() ? next : best)
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  /**
   * What went wrong, in one line: S3's own message and code (without the request ids), or for a missing
   * credential what to set instead of the SDK's list of every provider it tried.
   */
  static String describe(SdkException e) {
    if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
      AwsErrorDetails details = s3.awsErrorDetails();
      String message = details.errorMessage() != null ? details.errorMessage() : "request failed";
      return oneLine(message) + " (" + (details.errorCode() != null ? details.errorCode() + ", " : "") + "HTTP "
          + s3.statusCode() + ")";
    }
    String message = oneLine(e.getMessage());
    if (message.startsWith("Unable to load credentials")) {
      return "no AWS credentials found (the AWS SDK's default chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
          + " AWS_PROFILE and ~/.aws, SSO, a container or instance role)";
    }
    return message;
  }

  private static String oneLine(String text) {
    return text == null ? "unknown problem" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "coldspy-s3-download-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static void deleteQuietly(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a scratch file left in the temporary directory is harmless
    }
  }
}
