package dev.coldspy.lsp;

import dev.coldspy.engine.Engine;
import dev.coldspy.fix.FixOptions;
import dev.coldspy.settings.Settings;
import dev.coldspy.profile.ProfileSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One profiled application in the workspace: the directory whose {@code .coldspy/profiles/} (or configured
 * profile locations) hold its profiles, the application root that the profiles' recorded paths map onto,
 * its Python files, the merged profiles and the engine configured by the project's settings. Immutable.
 *
 * @param directory the project directory (holds {@code .coldspy/} and usually {@code pyproject.toml})
 * @param appRoot the directory of the handler module (the profile's {@code app.root} maps onto it)
 * @param profileLocations the files and directories profiles were read from
 * @param profiles the merged profiles, empty when none could be read
 * @param sources the application's Python files, sorted
 * @param engine the engine with the project's settings
 * @param settings the project's settings ({@code [tool.coldspy]} with the editor's overrides)
 * @param fixOptions the fix engine's options for the project's target Python (before the project's modules
 *     are known: see {@link AppAnalysis#fixPlans})
 */
record Project(
    Path directory,
    Path appRoot,
    List<Path> profileLocations,
    Optional<ProfileSet> profiles,
    List<Path> sources,
    Engine engine,
    Settings settings,
    FixOptions fixOptions) {
  Project {
    profileLocations = List.copyOf(profileLocations);
    sources = List.copyOf(sources);
  }

  boolean contains(Path file) {
    return file.startsWith(appRoot);
  }

  /** The file's path below the application root, '/'-separated, as the engine matches recorded paths. */
  String relativePath(Path file) {
    return appRoot.relativize(file).toString().replace('\\', '/');
  }

  boolean isProfileFile(Path file) {
    return profileLocations.stream().anyMatch(file::startsWith);
  }
}
