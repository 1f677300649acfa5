package dev.coldspy.intellij.checks;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.Diagnostic;

/**
 * One entry of a fixture app's expected-findings.json (written by the fixtures' authors): the 1-based line
 * of handler.py and the rule code ColdSpy must report there.
 */
record ExpectedFinding(String file, int line, String code) {

  static List<ExpectedFinding> read(String app) throws IOException {
    Path expected = Repository.root().resolve("fixtures/apps").resolve(app).resolve("expected-findings.json");
    List<ExpectedFinding> findings = new ArrayList<>();
    String json = Files.readString(expected, StandardCharsets.UTF_8);
    for (JsonElement entry : JsonParser.parseString(json).getAsJsonArray()) {
      var finding = entry.getAsJsonObject();
      findings.add(
          new ExpectedFinding(
              finding.get("file").getAsString(), finding.get("line").getAsInt(), finding.get("code").getAsString()));
    }
    if (findings.isEmpty()) {
      throw new IllegalStateException(expected + " lists no findings: pick a fixture app with some");
    }
    return findings;
  }

  /** A diagnostic of this finding's file (0-based LSP line) reporting it. */
  boolean matches(Diagnostic diagnostic) {
    return diagnostic.getRange().getStart().getLine() == line - 1
        && diagnostic.getCode() != null
        && code.equals(diagnostic.getCode().getLeft());
  }
}
