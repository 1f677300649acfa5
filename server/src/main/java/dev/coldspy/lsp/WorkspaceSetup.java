package dev.coldspy.lsp;

import dev.coldspy.engine.Knowledge;
import dev.coldspy.project.ParseCache;
import dev.coldspy.project.Project;
import dev.coldspy.project.WorkspaceProjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the workspace analyses with, frozen at one moment: the profiled projects and the editor's settings,
 * plus the problems met while loading them. A new setup is made when settings or profiles change; a setup
 * never changes.
 */
final class WorkspaceSetup {
  /** The bundled knowledge file, read once, when the first project loads (not at server start). */
  private static final class BundledKnowledge {
    static final Knowledge KNOWLEDGE = Knowledge.bundled();
  }

  static final WorkspaceSetup NONE =
      new WorkspaceSetup(List.of(), List.of(), ClientSettings.DEFAULTS, List.of(), new ParseCache());

  private final List<Path> roots;
  private final List<Project> projects;
  private final ClientSettings clientSettings;
  private final List<String> problems;
  private final ParseCache parses;

  private WorkspaceSetup(List<Path> roots, List<Project> projects, ClientSettings clientSettings,
      List<String> problems, ParseCache parses) {
    this.roots = List.copyOf(roots);
    this.projects = List.copyOf(projects);
    this.clientSettings = clientSettings;
    this.problems = List.copyOf(problems);
    this.parses = parses;
  }

  /**
   * Finds the profiled projects under the workspace roots ({@link WorkspaceProjects}) with the editor's
   * settings over each project's. Never throws: what cannot be used is a problem in {@link #problems()}.
   */
  static WorkspaceSetup load(List<Path> roots, Object clientSection) {
    return load(roots, clientSection, true);
  }

  /**
   * @param trusted false for a workspace the user does not trust: profiles are read only inside its folders,
   *     and no path outside them reaches the editor (in messages or file watchers)
   */
  static WorkspaceSetup load(List<Path> roots, Object clientSection, boolean trusted) {
    ClientSettings client = ClientSettings.parse(clientSection);
    List<String> problems = new ArrayList<>(client.problems());
    List<Project> projects =
        WorkspaceProjects.find(roots, client::over, BundledKnowledge.KNOWLEDGE, problems::add, !trusted);
    return new WorkspaceSetup(roots, projects, client, problems.stream().distinct().toList(), new ParseCache());
  }

  List<Project> projects() {
    return projects;
  }

  /** The innermost profiled project whose application contains the file. */
  Optional<Project> projectOf(Path file) {
    return projects.stream().filter(project -> project.contains(file)).findFirst();
  }

  ParseCache parses() {
    return parses;
  }

  List<String> problems() {
    return problems;
  }

  Duration debounce() {
    return clientSettings.debounce();
  }

  /** Whether the user opted in to quick fixes inside vendored libraries ({@code coldspy.fixVendoredLibraries}). */
  boolean fixVendoredLibraries() {
    return clientSettings.fixVendoredLibraries();
  }

  /** True for a Python file of a profiled application (it gets workspace-wide diagnostics). */
  boolean isProfiled(Path file) {
    return projectOf(file).map(project -> project.sources().contains(file)).orElse(false);
  }

  boolean isProfileFile(Path file) {
    if (file.toString().replace('\\', '/').contains("/" + Project.PROFILES_DIRECTORY + "/")) {
      return true;
    }
    return projects.stream().anyMatch(project -> project.isProfileFile(file));
  }

  boolean isSettingsFile(Path file) {
    return file.getFileName() != null && file.getFileName().toString().equals("pyproject.toml");
  }

  /** Every Python file of every profiled application. */
  List<Path> profiledFiles() {
    return projects.stream().flatMap(project -> project.sources().stream()).distinct().toList();
  }

  /** What the client should watch: profiles (default and configured), settings files, Python sources. */
  List<String> watchGlobs() {
    String profiles = Project.PROFILES_DIRECTORY;
    List<String> globs = new ArrayList<>(List.of("**/" + profiles + "/**", "**/pyproject.toml", "**/*.py"));
    for (Project project : projects) {
      for (Path location : project.profileLocations()) {
        String glob = location.toString().replace('\\', '/') + (Files.isDirectory(location) ? "/**" : "");
        if (!glob.contains("/" + profiles + "/") && !glob.endsWith("/" + profiles + "/**")) {
          globs.add(glob);
        }
      }
    }
    return globs;
  }

  List<Path> roots() {
    return roots;
  }
}
