package dev.coldspy.profile.s3;

import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileLoader;
import dev.coldspy.profile.ProfileSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Profiles given as local files or folders and as {@code s3://bucket/prefix} locations, loaded together into
 * one {@link ProfileSet}: the local ones by {@link ProfileLoader}, the collected ones by
 * {@link S3ProfileLoader}. The app is the expected one, else that of most local profiles, else that of most
 * S3 objects; profiles of other apps are left out with an error each, as within each loader.
 */
public final class LocalAndS3Profiles {
  private LocalAndS3Profiles() {}

  /**
   * The outcome of loading.
   *
   * @param profiles the merged profiles of one app, empty when none could be used
   * @param errors one line per file, object or location left out, naming it
   * @param warnings problems survived while reading the used profiles, each naming its file or object
   */
  public record Result(Optional<ProfileSet> profiles, List<String> errors, List<String> warnings) {
    public Result {
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Profile locations as the user wrote them, split by kind.
   *
   * @param local files and folders, relative ones resolved against the base directory given to {@link #split}
   * @param s3 {@code s3://} locations
   */
  public record Locations(List<Path> local, List<S3Location> s3) {
    public Locations {
      local = List.copyOf(local);
      s3 = List.copyOf(s3);
    }
  }

  /**
   * Splits locations into local paths and S3 locations.
   *
   * @param baseDirectory what relative local paths are relative to, or null to keep them as written
   * @throws IllegalArgumentException naming the location when an {@code s3://} one names no bucket
   */
  public static Locations split(List<String> locations, Path baseDirectory) {
    List<Path> local = new ArrayList<>();
    List<S3Location> s3 = new ArrayList<>();
    for (String location : locations) {
      if (S3Location.isS3(location)) {
        s3.add(S3Location.parse(location));
      } else {
        Path path = Path.of(location);
        local.add(baseDirectory == null || path.isAbsolute() ? path : baseDirectory.resolve(path));
      }
    }
    return new Locations(local, s3);
  }

  /** Loads split locations (see {@link #load(List, List, String, Supplier)}). */
  public static Result load(Locations locations, String expectedApp, Supplier<S3Client> clients) {
    return load(locations.local(), locations.s3(), expectedApp, clients);
  }

  /**
   * Loads the profiles.
   *
   * @param local profile files and folders
   * @param s3 S3 locations (no client is made when there are none)
   * @param expectedApp the app to keep, or null
   * @param clients makes the S3 client, called at most once
   */
  public static Result load(List<Path> local, List<S3Location> s3, String expectedApp, Supplier<S3Client> clients) {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<Profile> profiles = new ArrayList<>();
    String app = expectedApp;
    if (!local.isEmpty()) {
      ProfileLoader.Result loaded = ProfileLoader.load(local, expectedApp);
      loaded.errors().forEach(e -> errors.add(e.getMessage()));
      warnings.addAll(loaded.warnings());
      if (loaded.profiles().isPresent()) {
        profiles.addAll(loaded.profiles().get().profiles());
        app = loaded.profiles().get().app().name();
      }
    }
    if (!s3.isEmpty()) {
      S3Client client;
      try {
        client = clients.get();
      } catch (IllegalArgumentException e) { // a malformed endpoint variable, named in the message
        errors.add(e.getMessage());
        return new Result(optional(profiles), errors, warnings);
      }
      S3ProfileLoader.Result loaded;
      try (client) {
        loaded = new S3ProfileLoader(client).load(s3, app);
      }
      errors.addAll(loaded.errors());
      warnings.addAll(loaded.warnings());
      loaded.profiles().ifPresent(set -> profiles.addAll(set.profiles()));
    }
    return new Result(optional(profiles), errors, warnings);
  }

  private static Optional<ProfileSet> optional(List<Profile> profiles) {
    return profiles.isEmpty() ? Optional.empty() : Optional.of(ProfileSet.of(profiles));
  }
}
