package dev.coldspy.cli;

import dev.coldspy.lsp.LanguageServerLauncher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code coldspy serve}: the language server, speaking LSP over stdin/stdout. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the ColdSpy language server (LSP over stdio) for editors.",
      "Only JSON-RPC is written to stdout; logs go to stderr and the editor's log."
    })
public final class ServeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return LanguageServerLauncher.serveStdio();
  }
}
