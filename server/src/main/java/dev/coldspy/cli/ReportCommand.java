package dev.coldspy.cli;

import dev.coldspy.engine.Knowledge;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.project.ProjectAnalysis;
import dev.coldspy.report.ReportPage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code coldspy report}: one self-contained HTML page of the profiles and the engine's findings. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a self-contained HTML report: ranked import statements (below each,",
      "the sub-trees it loaded that never ran), import waterfall, calling-context",
      "tree, module tree, imports at run time and latency CDFs (before vs after",
      "with --compare).",
      "Exit status: 0 written, 2 bad input."
    })
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProfileOptions profileOptions;

  @Option(names = "--compare", paramLabel = "BEFORE",
      description = "Profiles recorded before a fix (file, directory or s3://bucket/prefix; repeatable): plotted"
          + " against the others.")
  List<String> before = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The HTML file to write.")
  Path output;

  @Parameters(paramLabel = "PATH", arity = "0..*",
      description = "Python files or directories of the app. Default: the current directory.")
  List<Path> paths = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Object> overrides = new LinkedHashMap<>();
    // Without a PATH the app is the working directory, as in the usage: settings and the default
    // profile location (.coldspy/profiles/) are then those of the project the command runs in. The empty
    // path, not ".", so that file names read "handler.py" rather than "./handler.py".
    List<Path> appPaths = paths.isEmpty() ? List.of(Path.of("")) : paths;
    CommandLineProject project = new CommandLineProject(appPaths, overrides, err);
    Knowledge knowledge = profileOptions.knowledge();
    Optional<ProfileSet> profileSet = project.profiles(profileOptions.profiles, "profiles");
    if (profileSet.isEmpty()) {
      return ExitCodes.ERROR;
    }
    ProfileSet beforeSet = null;
    if (!before.isEmpty()) {
      beforeSet = project.profiles(before, "before-profiles").orElse(null);
      if (beforeSet == null) {
        return ExitCodes.ERROR;
      }
    }
    ProjectAnalysis analysed = project.analyse(profileSet.get(), profileOptions.profiles, knowledge);
    String page = ReportPage.render(analysed.analysis(), profileSet.get(), beforeSet,
        analysed.project().directory().toString());
    write(page);
    spec.commandLine().getOut().println("coldspy: wrote " + output);
    return project.hadErrors() ? ExitCodes.ERROR : ExitCodes.OK;
  }

  /** Writes through a temporary file so that a reader (a browser, a webview) never sees half a page. */
  private void write(String page) {
    Path target = output.toAbsolutePath();
    try {
      Files.createDirectories(target.getParent());
      Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
      Files.writeString(temporary, page, StandardCharsets.UTF_8);
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CliError(output + ": cannot write the report: " + e.getMessage());
    }
  }
}
