package dev.coldspy.lsp;

import dev.coldspy.project.Project;
import dev.coldspy.project.ProjectAnalysis;
import dev.coldspy.project.SourceReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/**
 * Turns a document of a workspace snapshot into its {@link DocumentAnalysis}. The engine runs once per
 * project and set of texts: the last few project analyses are kept, each with the open texts it read, and
 * re-used while the setup, those texts and the files on disk are unchanged. Two are kept because an editor
 * alternates between two states of a file: the buffer's text while it is open and the file's text when it is
 * closed (or opened unchanged), so neither opening nor closing a file re-analyses what was analysed already.
 */
final class Analyzer {
  /** Analyses kept per project: the buffer's and the file's version of a document being edited. */
  private static final int KEPT = 2;

  /** A project analysis with what it was computed from, besides the project (the files on disk). */
  private record Kept(Map<Path, String> openTexts, long diskGeneration, ProjectAnalysis analysis) {}

  private final ServerLog log;
  /** The last analyses per project directory, most recent first. */
  private final ConcurrentHashMap<Path, List<Kept>> recent = new ConcurrentHashMap<>();
  /** Counts the changes to files on disk: an analysis that read older files is not re-used. */
  private final AtomicLong diskGeneration = new AtomicLong();
  /** How many project analyses were computed (not re-used): a seam for tests of the re-use. */
  private final AtomicInteger projectAnalyses = new AtomicInteger();

  Analyzer(ServerLog log) {
    this.log = log;
  }

  DocumentAnalysis analyse(TextDocument document, WorkspaceSnapshot snapshot, CancelChecker cancel) {
    WorkspaceSetup setup = snapshot.setup();
    if (!document.isPython()) {
      return DocumentAnalysis.unanalysed(document, setup, "not a Python file");
    }
    if (SourceReader.isTooLarge(document.text())) {
      return DocumentAnalysis.unanalysed(document, setup, "larger than " + SourceReader.MAX_BYTES + " bytes");
    }
    Optional<Path> path = document.path();
    if (path.isEmpty()) {
      return DocumentAnalysis.unanalysed(document, setup, "not a file on disk");
    }
    Optional<Project> project = setup.projectOf(path.get());
    if (project.isEmpty()) {
      return DocumentAnalysis.unanalysed(document, setup, "no ColdSpy profile covers this file");
    }
    Map<Path, String> openTexts = new HashMap<>();
    for (TextDocument open : snapshot.documents().values()) {
      open.path().filter(project.get()::contains).filter(p -> open.isPython())
          .ifPresent(p -> openTexts.put(p, open.text()));
    }
    openTexts.put(path.get(), document.text());
    ProjectAnalysis app = projectAnalysis(project.get(), openTexts, setup, cancel);
    return DocumentAnalysis.of(document, setup, path.get(), app);
  }

  /** A file of a project changed on disk: analyses that read the files before the change are not re-used. */
  void filesChangedOnDisk() {
    diskGeneration.incrementAndGet();
  }

  /** The number of project analyses computed so far (re-used ones not counted). */
  int projectAnalyses() {
    return projectAnalyses.get();
  }

  private ProjectAnalysis projectAnalysis(
      Project project, Map<Path, String> openTexts, WorkspaceSetup setup, CancelChecker cancel) {
    long generation = diskGeneration.get();
    List<ProjectAnalysis> previous = new ArrayList<>();
    for (Kept kept : recent.getOrDefault(project.directory(), List.of())) {
      if (kept.analysis().project() != project) {
        continue;
      }
      if (kept.diskGeneration() == generation && kept.openTexts().equals(openTexts)) {
        return kept.analysis();
      }
      previous.add(kept.analysis());
    }
    ProjectAnalysis fresh = ProjectAnalysis.run(project, openTexts, setup.parses(), previous, log::warn, cancel::checkCanceled);
    projectAnalyses.incrementAndGet();
    Kept kept = new Kept(Map.copyOf(openTexts), generation, fresh);
    recent.merge(project.directory(), List.of(kept), (older, newest) -> {
      List<Kept> updated = new ArrayList<>(newest);
      for (Kept old : older) {
        if (updated.size() < KEPT && old.analysis().project() == project && !old.openTexts().equals(kept.openTexts())) {
          updated.add(old);
        }
      }
      return List.copyOf(updated);
    });
    return fresh;
  }
}
