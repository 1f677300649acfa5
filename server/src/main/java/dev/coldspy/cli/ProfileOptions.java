package dev.coldspy.cli;

import dev.coldspy.engine.Knowledge;
import dev.coldspy.project.ProjectAnalysis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which profiles and which knowledge file a command analyses with (a picocli mixin of {@code check},
 * {@code fix} and {@code report}): the same words in each command's help.
 */
final class ProfileOptions {
  @Option(names = "--profile", paramLabel = "P",
      description = "Profile file or directory (JSON, ColdSpy .pkl, -X importtime log), or s3://bucket/prefix"
          + " (profiles collected from Lambda); repeatable."
          + " Default: 'profiles' of [tool.coldspy], else .coldspy/profiles/ of the project.")
  List<String> profiles = new ArrayList<>();

  @Option(names = "--knowledge", paramLabel = "FILE",
      description = "Knowledge file to use instead of the bundled one (see knowledge.toml in the jar).")
  Path knowledgeFile;

  /** The knowledge file given, or the bundled one. */
  Knowledge knowledge() {
    return CommandLineProject.knowledge(knowledgeFile);
  }

  /**
   * The project analysed with these profiles, or empty when no profile could be used (the reasons are printed).
   */
  Optional<ProjectAnalysis> analyse(CommandLineProject project) {
    Knowledge knowledge = knowledge();
    return project.profiles(profiles, "profiles").map(loaded -> project.analyse(loaded, profiles, knowledge));
  }
}
