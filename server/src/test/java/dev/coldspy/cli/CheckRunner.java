package dev.coldspy.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs {@code coldspy check} in-process and captures what it prints. */
final class CheckRunner {
  record Run(int status, String out, String err) {}

  private CheckRunner() {}

  static Run check(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new CheckCommand());
    command.setCaseInsensitiveEnumValuesAllowed(true);
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int status = command.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  /** A test resource as a path string. */
  static String resource(String name) {
    try {
      return Path.of(CheckRunner.class.getResource("/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
