package dev.coldspy.lsp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** WIP: settings + profiles of the workspace; filled in as the readers' and engine's APIs land. */
final class AnalysisContext {
  static final long MAX_FILE_BYTES = 2_000_000;
  static final AnalysisContext NONE = new AnalysisContext(List.of());

  private final List<Path> roots;

  private AnalysisContext(List<Path> roots) {
    this.roots = roots;
  }

  static AnalysisContext load(List<Path> roots, Object clientSettings) {
    return new AnalysisContext(roots);
  }

  List<String> problems() {
    return List.of();
  }

  Duration debounce() {
    return Duration.ofMillis(150);
  }

  boolean isProfiled(Path path) {
    return false;
  }

  boolean isProfileFile(Path path) {
    return false;
  }

  boolean isSettingsFile(Path path) {
    return path.getFileName() != null && path.getFileName().toString().equals("pyproject.toml");
  }

  List<Path> profiledFiles() {
    return List.of();
  }

  List<String> watchGlobs() {
    return List.of("**/.coldspy/profiles/**", "**/pyproject.toml");
  }

  StatusParams status() {
    return new StatusParams(null, 0, 0, 0);
  }
}
