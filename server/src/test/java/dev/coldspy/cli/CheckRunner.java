package dev.coldspy.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Runs {@code coldspy check} in-process through {@link Main} and captures what it prints. */
final class CheckRunner {
  record Run(int status, String out, String err) {}

  private CheckRunner() {}

  static Run check(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] command = new String[args.length + 1];
    command[0] = "check";
    System.arraycopy(args, 0, command, 1, args.length);
    int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), command);
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
