package dev.coldspy.profile;

import java.io.IOException;
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
   * {@code *.log}) under every given directory, then merges the profiles of one app.
   *
   * @param paths files or directories
   * @param expectedApp the app to keep, or null to keep the app most of the profiles belong to (ties: the app
   *     of the first file in path order)
   */
  public static Result load(List<Path> paths, String expectedApp) {
    List<ProfileFormatException> errors = new ArrayList<>();
    List<Profile> read = new ArrayList<>();
    // Files are independent: read them on all cores; the ordered stream keeps path order.
    for (Outcome outcome : expand(paths, errors).parallelStream().map(ProfileLoader::read).toList()) {
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
      if (profile.app().name().equals(app)) {
        kept.add(profile);
        profile.readerWarnings().forEach(w -> warnings.add(profile.source().path() + ": " + w));
        profile.errors().forEach(e -> warnings.add(profile.source().path() + ": agent reported"
            + (e.coldStart() == null ? "" : " in cold start " + e.coldStart()) + ": " + e.message()));
      } else {
        errors.add(new ProfileFormatException(profile.source().path(), "is a profile of app '"
            + profile.app().name() + "', not of '" + app + "'; left out of the merge"));
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

  /** Files as given, directories replaced by the profile files under them; sorted and without duplicates. */
  static List<Path> expand(List<Path> paths, List<ProfileFormatException> errors) {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> found = Files.walk(path, MAX_DIRECTORY_DEPTH)) {
          found.filter(Files::isRegularFile).filter(ProfileReader::looksLikeProfile).forEach(files::add);
        } catch (IOException e) {
          errors.add(new ProfileFormatException(path, "cannot list directory: " + e.getMessage(), e));
        }
      } else {
        files.add(path);
      }
    }
    return files.stream().map(Path::normalize).distinct().sorted(Comparator.comparing(Path::toString)).toList();
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
