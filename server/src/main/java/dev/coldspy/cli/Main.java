package dev.coldspy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of {@code coldspy.jar}: a picocli command with one subcommand per feature. Errors are one line
 * on stderr ({@code coldspy: ...}) with the exit statuses of {@link ExitCodes}; set {@code COLDSPY_DEBUG=1}
 * to see the stack trace of an internal error.
 */
@Command(
    name = "coldspy",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Finds the import statements that make a Python serverless function's cold start slow.",
    footer = {"", "Exit status: 0 no findings, 1 findings at or above the failing severity, 2 error."})
public final class Main implements Callable<Integer> {
  /** The subcommands, in the order help lists them; registering one is one line here. */
  private static final List<Class<?>> SUBCOMMANDS = List.of(
      ProfileCommand.class,
      CheckCommand.class,
      FixCommand.class,
      ReportCommand.class,
      ServeCommand.class,
      dev.coldspy.verify.VerifyCommand.class,
      dev.coldspy.precompile.PrecompileCommand.class);

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line and returns its exit status; for tests and embedding. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    int status = commandLine(out, err).execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /** The configured command line: subcommands, one-line errors, exit statuses. */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new Main());
    for (Class<?> subcommand : SUBCOMMANDS) {
      commandLine.addSubcommand(subcommand);
    }
    return commandLine
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExitCodeExceptionMapper(e -> ExitCodes.ERROR)
        .setParameterExceptionHandler((e, args) -> {
          e.getCommandLine().getErr().println("coldspy: " + oneLine(e.getMessage()) + " (see '"
              + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
          return ExitCodes.ERROR;
        })
        .setExecutionExceptionHandler((e, cmd, parseResult) -> {
          PrintWriter errors = cmd.getErr();
          if (e instanceof CliError) {
            errors.println("coldspy: " + oneLine(e.getMessage()));
          } else {
            errors.println("coldspy: internal error: " + oneLine(String.valueOf(e))
                + " (set COLDSPY_DEBUG=1 for details)");
            if (System.getenv("COLDSPY_DEBUG") != null) {
              e.printStackTrace(errors);
            }
          }
          return ExitCodes.ERROR;
        });
  }

  /** Without a subcommand: the usage on stderr, and a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.ERROR;
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  /** The version of this build, filtered into {@code version.properties} by Maven. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"coldspy " + current()};
    }

    /** The project version, or {@code "unknown"} in a build without Maven's resources. */
    static String current() {
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in == null) {
          return "unknown";
        }
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty("version", "unknown");
      } catch (IOException e) {
        return "unknown";
      }
    }
  }
}
