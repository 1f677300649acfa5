package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coldspy.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coldspy check} and {@code coldspy fix} on profiled projects built with {@link TestProject}: the cost
 * model (init plus first invocation) decides which fixes pay, whole outputs compared.
 */
class FixPaysTest {
  @TempDir Path root;

  private static final String HANDLER =
      """
      import tqdm


      def handler(event, context):
          for item in tqdm.tqdm(event["items"]):
              print(item)
      """;

  /** tqdm, 120 ms, used by every one of the 40 cold starts. */
  private TestProject everyColdStartUsesTqdm() {
    return new TestProject(root)
        .file("handler.py", HANDLER)
        .module("tqdm", 120, "handler.py", 1)
        .usedIn("tqdm", TestProject.COLD_STARTS);
  }

  private String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return status + "\n" + out + err;
  }

  @Test
  void deferringAnImportEveryColdStartUsesIsNotAppliedItOnlyMovesTheCost() throws IOException {
    everyColdStartUsesTqdm().load();
    String app = root.toString();

    assertEquals("1\n" + app + "/handler.py:1:1: CS103 not fixed: `tqdm` is used at line 5 (`for item in"
        + " tqdm.tqdm(event[\"items\"]):`); deferring it would only move ~120 ms into the first invocation (all 40"
        + " cold starts use it); a progress bar in a serverless function is written to a log nobody watches: remove it or"
        + " log progress with logging\n"
        + "Fixed 0 findings, 1 remaining.\n", run("fix", app).replace("\n    ", " ")); // the reason unwrapped
    assertEquals(HANDLER, Files.readString(root.resolve("handler.py")));
  }

  @Test
  void includeNoSavingDefersItAnyway() throws IOException {
    everyColdStartUsesTqdm().load();

    String output = run("fix", "--include-no-saving", "--diff", root.toString());

    assertEquals("""
        1
        --- a/handler.py
        +++ b/handler.py
        @@ -1,6 +1,4 @@
        -import tqdm
        -
        -
         def handler(event, context):
        +    import tqdm
             for item in tqdm.tqdm(event["items"]):
                 print(item)
        Would fix 1 finding.
        """, output);
  }
}
