package dev.coldspy.project;

import dev.coldspy.engine.Knowledge;
import dev.coldspy.profile.ProfileFormatException;
import dev.coldspy.profile.ProfileLoader;
import dev.coldspy.settings.Settings;
import dev.coldspy.settings.SettingsLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The profiled projects under an editor's workspace folders: every folder holding {@code .coldspy/profiles/},
 * and each workspace folder itself (its settings may name profiles elsewhere). Each project's Python files are
 * those below its application root.
 */
public final class WorkspaceProjects {
  private WorkspaceProjects() {}

  /**
   * Finds and loads the projects, deepest application root first (a file belongs to the innermost project
   * that contains it). Never throws: what cannot be used goes to {@code problems}.
   *
   * @param editorSettings applied over each project's {@code [tool.coldspy]} settings
   */
  public static List<Project> find(List<Path> roots, UnaryOperator<Settings> editorSettings, Knowledge knowledge,
      Consumer<String> problems) {
    return find(roots, editorSettings, knowledge, problems, false);
  }

  /**
   * As {@link #find(List, UnaryOperator, Knowledge, Consumer)}; with {@code withinRoots} (an untrusted
   * workspace) profiles are read only inside the workspace folder a project was found in ({@link
   * ProfileLoader#loadWithin}), and a location outside it is neither read nor named.
   */
  public static List<Project> find(List<Path> roots, UnaryOperator<Settings> editorSettings, Knowledge knowledge,
      Consumer<String> problems, boolean withinRoots) {
    Map<Path, Path> candidates = new LinkedHashMap<>(); // folder -> the workspace folder it was found in
    for (Path root : roots) {
      Path normalized = root.toAbsolutePath().normalize();
      SourceDiscovery.foldersHolding(root, Project.PROFILES_DIRECTORY)
          .forEach(folder -> candidates.putIfAbsent(folder, normalized));
      candidates.putIfAbsent(normalized, normalized);
    }
    List<Project> projects = new ArrayList<>();
    Set<Path> seenLocations = new HashSet<>();
    for (Map.Entry<Path, Path> candidate : candidates.entrySet()) {
      Path directory = candidate.getKey();
      Path root = candidate.getValue();
      SettingsLoader.Loaded loaded = SettingsLoader.forPath(directory);
      loaded.warnings().forEach(problems);
      Settings settings = editorSettings.apply(loaded.settings());
      List<Path> locations = new ArrayList<>();
      for (Path location : settings.profilePaths()) {
        Path normalized = location.toAbsolutePath().normalize();
        if (Files.exists(normalized) && seenLocations.add(normalized)) {
          locations.add(normalized);
        }
      }
      if (locations.isEmpty()) {
        continue;
      }
      ProfileLoader.Result profiles = withinRoots
          ? ProfileLoader.loadWithin(root, locations, settings.app())
          : ProfileLoader.load(locations, settings.app());
      for (ProfileFormatException error : profiles.errors()) {
        problems.accept(error.getMessage());
      }
      List<Path> watched = withinRoots
          ? locations.stream().filter(location -> ProfileLoader.isWithin(root, location)).toList()
          : locations;
      profiles.profiles().ifPresent(loadedProfiles -> projects.add(
          Project.of(directory, settings, knowledge, watched, loadedProfiles, List.of(), null, problems)));
    }
    projects.sort(Comparator.comparingInt((Project p) -> -p.appRoot().getNameCount()));
    return projects;
  }
}
