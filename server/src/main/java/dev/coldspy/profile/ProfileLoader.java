package dev.coldspy.profile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads profile files and directories into one {@link ProfileSet}, setting aside each file that cannot be
 * used with a one-line error while the others still load.
 */
public final class ProfileLoader {
  /** How deep directories are searched for profile files. */
  private static final int MAX_DIRECTORY_DEPTH = 3;

  private ProfileLoader() {}

  /**
   * The outcome of loading.
   *
   * @param profiles the merged profiles of one app, empty when no file could be used
   * @param errors one per file that was left out (unreadable, invalid, or of another app), in path order
   * @param warnings problems survived while reading the used files, each {@code "<file>: <problem>"}
   */
  public record Result(Optional<ProfileSet> profiles, List<ProfileFormatException> errors, List<String> warnings) {
    public Result {
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Reads every given file, and every profile file ({@code *.json}, {@code *.pkl}, {@code *.pickle},
   * {@code *.log}) under every given directory, then merges the profiles of one app. A file that cannot be used
   * is one entry of {@link Result#errors()}; the others still load.
   *
   * @param paths files or directories
   * @param expectedApp the app to keep, or null to keep the app most of the profiles belong to (ties: the app
   *     of the first file in path order)
   */
  public static Result load(List<Path> paths, String expectedApp) {
    return load(paths, expectedApp, null);
  }

  /**
   * As {@link #load(List, String)} for an untrusted workspace: reads only files that are inside
   * {@code workspace} once symbolic links are resolved. A location outside it is neither read nor listed, and
   * its error names the workspace, not the location, so that nothing about the rest of the machine is shown.
   *
   * @param workspace the root of the untrusted workspace
   */
  public static Result loadWithin(Path workspace, List<Path> paths, String expectedApp) {
    return load(paths, expectedApp, workspace);
  }

  private static Result load(List<Path> paths, String expectedApp, Path workspace) {
    List<ProfileFormatException> errors = new ArrayList<>();
    List<Profile> read = new ArrayList<>();
    // Files are independent: read them on all cores; the ordered stream keeps path order.
    for (Outcome outcome : expand(paths, workspace, errors).parallelStream().map(ProfileLoader::read).toList()) {
      if (outcome.profile() != null) {
        read.add(outcome.profile());
      } else {
        errors.add(outcome.error());
      }
    }
    String app = expectedApp != null ? expectedApp : majorityApp(read);
    List<Profile> kept = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (Profile profile : read) {
      String file = PrintableText.of(profile.source().path().toString());
      if (profile.app().name().equals(app)) {
        kept.add(profile);
        profile.readerWarnings().forEach(w -> warnings.add(file + ": " + w));
        profile.errors().forEach(e -> warnings.add(file + ": agent reported"
            + (e.coldStart() == null ? "" : " in cold start " + e.coldStart()) + ": " + e.message()));
      } else {
        errors.add(new ProfileFormatException(profile.source().path(), "is a profile of app '"
            + profile.app().name() + "', not of '" + PrintableText.of(app) + "'; left out of the merge"));
      }
    }
    errors.sort(Comparator.comparing(e -> e.file().toString()));
    return new Result(kept.isEmpty() ? Optional.empty() : Optional.of(ProfileSet.of(kept)), errors, warnings);
  }

  private record Outcome(Profile profile, ProfileFormatException error) {}

  private static Outcome read(Path file) {
    try {
      return new Outcome(ProfileReader.read(file), null);
    } catch (ProfileFormatException e) {
      return new Outcome(null, e);
    }
  }

  /**
   * Files as given, directories replaced by the profile files under them; sorted and without duplicates. With a
   * workspace, what lies outside it is set aside as an error.
   */
  static List<Path> expand(List<Path> paths, Path workspace, List<ProfileFormatException> errors) {
    Path realWorkspace = workspace == null ? null : realPath(workspace);
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (realWorkspace != null && !isInside(path, workspace, realWorkspace)) {
        errors.add(new ProfileFormatException(workspace, "a profiles location outside the workspace was not read:"
            + " an untrusted workspace reads profiles only inside it"));
      } else if (Files.isDirectory(path)) {
        try (Stream<Path> found = Files.walk(path, MAX_DIRECTORY_DEPTH)) {
          found.filter(Files::isRegularFile).filter(ProfileReader::looksLikeProfile).forEach(files::add);
        } catch (IOException | UncheckedIOException e) {
          errors.add(new ProfileFormatException(path, "cannot list directory: " + e.getMessage(), e));
        }
      } else {
        files.add(path);
      }
    }
    List<Path> sorted =
        files.stream().map(Path::normalize).distinct().sorted(Comparator.comparing(Path::toString)).toList();
    if (realWorkspace == null) {
      return sorted;
    }
    List<Path> inside = new ArrayList<>();
    for (Path file : sorted) {
      if (isInside(file, workspace, realWorkspace)) {
        inside.add(file);
      } else { // a link in the workspace to a file elsewhere: the link's own path is the workspace's to show
        errors.add(new ProfileFormatException(file, "links to a file outside the workspace, not read: an untrusted"
            + " workspace reads profiles only inside it"));
      }
    }
    return inside;
  }

  /**
   * True when {@code path} is inside {@code workspace} both as written and with symbolic links resolved: what
   * {@link #loadWithin} reads.
   */
  public static boolean isWithin(Path workspace, Path path) {
    return isInside(path, workspace, realPath(workspace));
  }

  /** True when {@code path} is inside the workspace both as written and with symbolic links resolved. */
  private static boolean isInside(Path path, Path workspace, Path realWorkspace) {
    Path absolute = path.toAbsolutePath().normalize();
    return absolute.startsWith(workspace.toAbsolutePath().normalize()) && realPath(absolute).startsWith(realWorkspace);
  }

  /** The path with symbolic links resolved; as written (absolute, normalized) when it does not exist. */
  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  private static String majorityApp(List<Profile> profiles) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Profile profile : profiles) { // in path order, so ties go to the first file's app
      counts.merge(profile.app().name(), 1, Integer::sum);
    }
    String best = null;
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      if (best == null || entry.getValue() > counts.get(best)) {
        best = entry.getKey();
      }
    }
    return best;
  }
}
