package dev.coldspy.cli;

import dev.coldspy.engine.Knowledge;
import dev.coldspy.engine.KnowledgeException;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.profile.s3.LocalAndS3Profiles;
import dev.coldspy.profile.s3.S3Clients;
import dev.coldspy.project.Project;
import dev.coldspy.project.ProjectAnalysis;
import dev.coldspy.settings.Settings;
import dev.coldspy.settings.SettingsLoader;
import dev.coldspy.settings.SettingsParser;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the commands that analyse a project share ({@code check}, {@code fix}, {@code report}): the settings
 * of the project ({@code [tool.coldspy]} under command-line overrides), its profiles (given, or found where
 * the settings say), and the {@link Project} made of them and the given paths, analysed as the language server
 * analyses it. Problems with single profiles are printed as one line each and remembered
 * ({@link #hadErrors()}); problems that leave nothing to analyse are {@link CliError}s.
 */
final class CommandLineProject {
  private final List<Path> paths;
  private final Settings settings;
  private final PrintWriter err;
  private boolean hadErrors;

  /**
   * @param paths the Python files or directories of the app, at least one
   * @param overrides settings given on the command line, by their {@code [tool.coldspy]} key; null values
   *     are not given
   */
  CommandLineProject(List<Path> paths, Map<String, Object> overrides, PrintWriter err) {
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new CliError(path + ": no such file or directory");
      }
    }
    this.paths = List.copyOf(paths);
    this.err = err;
    SettingsLoader.Loaded loaded = SettingsLoader.forPath(paths.get(0));
    loaded.warnings().forEach(this::warn);
    SettingsParser.Result result = SettingsParser.apply(loaded.settings(), overrides, key -> "--" + key, null);
    if (!result.warnings().isEmpty()) {
      // A wrong value in pyproject.toml is a warning; on the command line the user is there to fix it.
      throw new CliError(result.warnings().get(0).replaceFirst(" \\(ignored\\)$", ""));
    }
    this.settings = result.settings();
  }

  Settings settings() {
    return settings;
  }

  /** True when a profile was left out because it could not be read. */
  boolean hadErrors() {
    return hadErrors;
  }

  /** The knowledge file given on the command line, or the bundled one. */
  static Knowledge knowledge(Path knowledgeFile) {
    try {
      return knowledgeFile == null ? Knowledge.bundled() : Knowledge.load(knowledgeFile);
    } catch (KnowledgeException e) {
      throw new CliError(e.getMessage());
    }
  }

  /**
   * Loads profiles: the given ones, else those the settings point at; files, directories and
   * {@code s3://bucket/prefix} locations (read with the AWS SDK's default credentials). Empty when none could be
   * used (the reasons are printed).
   *
   * @param what what the profiles are, for messages ("profiles", "before-profiles")
   */
  Optional<ProfileSet> profiles(List<String> given, String what) {
    LocalAndS3Profiles.Locations locations = profileLocations(given);
    if (given.isEmpty() && locations.s3().isEmpty() && locations.local().stream().noneMatch(Files::exists)) {
      throw new CliError(paths.get(0) + ": no " + what + " in " + String.join(", ", settings.profiles())
          + ": pass --profile, or record one with 'coldspy profile'");
    }
    LocalAndS3Profiles.Result loaded = LocalAndS3Profiles.load(locations, settings.app(), S3Clients::fromEnvironment);
    for (String error : loaded.errors()) {
      err.println("coldspy: " + error);
      hadErrors = true;
    }
    loaded.warnings().forEach(this::warn);
    if (loaded.profiles().isEmpty() && loaded.errors().isEmpty()) {
      Object first = locations.local().isEmpty() ? locations.s3().get(0) : locations.local().get(0);
      err.println("coldspy: " + first + ": no profile files found");
    }
    return loaded.profiles();
  }

  /**
   * The project of the given paths and profiles, analysed: the project directory is the folder common to the
   * paths (the application root is found below it, as the language server does), and findings spell paths the
   * way the paths were given.
   */
  ProjectAnalysis analyse(ProfileSet profiles, List<String> givenProfiles, Knowledge knowledge) {
    Path directory = commonDirectory(paths);
    Project project = Project.of(directory, settings, knowledge, profileLocations(givenProfiles).local(), profiles,
        paths, displayRoot(directory), this::warn);
    return ProjectAnalysis.run(project, this::warn);
  }

  /** The given profile locations, else the settings' (relative ones against the pyproject.toml's folder). */
  private LocalAndS3Profiles.Locations profileLocations(List<String> given) {
    try {
      return given.isEmpty() ? LocalAndS3Profiles.split(settings.profiles(), settings.baseDirectory())
          : LocalAndS3Profiles.split(given, null);
    } catch (IllegalArgumentException e) { // an s3:// location without a bucket
      throw new CliError(e.getMessage());
    }
  }

  /** The project directory as findings spell it: relative to the working directory when the paths were. */
  private Path displayRoot(Path directory) {
    if (paths.stream().allMatch(Path::isAbsolute)) {
      return directory;
    }
    Path workingDirectory = Path.of("").toAbsolutePath();
    return directory.startsWith(workingDirectory) ? workingDirectory.relativize(directory) : directory;
  }

  private void warn(String warning) {
    err.println("coldspy: warning: " + warning);
  }

  private static Path commonDirectory(List<Path> paths) {
    Path common = null;
    for (Path path : paths) {
      Path absolute = path.toAbsolutePath().normalize();
      Path dir = Files.isDirectory(absolute) ? absolute : absolute.getParent();
      if (common == null) {
        common = dir;
      }
      while (!dir.startsWith(common)) {
        common = common.getParent();
      }
    }
    return common;
  }
}
