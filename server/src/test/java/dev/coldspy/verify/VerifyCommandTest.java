package dev.coldspy.verify;

import static dev.coldspy.verify.FixtureApps.coldspy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coldspy.cli.ExitCodes;
import dev.coldspy.verify.FixtureApps.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coldspy verify} end to end on the rules_engine fixture app (fresh interpreters, few cold starts). */
class VerifyCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Path baseline;
  private Path current;

  private void copies() throws Exception {
    baseline = FixtureApps.copy("rules_engine", dir.resolve("baseline"));
    current = FixtureApps.copy("rules_engine", dir.resolve("current"));
  }

  private JsonNode verifyJson(int coldStarts, int expectedStatus) throws Exception {
    Path stored = dir.resolve("verify.json");
    Run run = coldspy("verify", "--baseline", baseline.toString(), current.resolve("handler.py") + ":handler",
        "--event", current.resolve("events").toString(), "--cold-starts", String.valueOf(coldStarts),
        "--format", "json", "-o", stored.toString());
    assertEquals(expectedStatus, run.status(), run.err() + run.out());
    assertEquals("", run.err());
    assertEquals(Files.readString(stored), run.out(), "the stored result is what was printed");
    return JSON.readTree(run.out());
  }

  @Test
  void anUnchangedCopyHasIdenticalOutputs() throws Exception {
    copies();

    JsonNode result = verifyJson(2, ExitCodes.OK);

    assertTrue(result.get("outputsIdentical").asBoolean(), result.toString());
    assertEquals(0, result.get("differences").size());
    assertEquals(2, result.get("coldStarts").asInt());
    try (Stream<Path> events = Files.list(current.resolve("events"))) {
      assertEquals(events.count(), result.get("events").size());
    }
    for (String side : List.of("before", "after")) {
      JsonNode times = result.get(side);
      assertTrue(times.get("initMs").asDouble() > 0, times.toString());
      assertTrue(times.get("firstInvocationMs").asDouble() > 0, times.toString());
      assertTrue(times.get("coldStartMs").asDouble() > times.get("initMs").asDouble() * 0.5, times.toString());
    }
    double ratio = result.get("after").get("coldStartMs").asDouble() / result.get("before").get("coldStartMs").asDouble();
    assertEquals(ratio, result.get("ratio").asDouble(), 0.001);
    // Two cold starts are too few for a 95 % band: nothing may be called significant.
    assertFalse(result.get("significant").asBoolean());
    assertTrue(result.get("noiseBand").get("low").isNull());
  }

  @Test
  void aHandlerFileWhoseNameIsNoIdentifierIsVerifiedAsLambdaLoadsIt() throws Exception {
    copies();
    for (Path copy : List.of(baseline, current)) {
      Files.move(copy.resolve("handler.py"), copy.resolve("check-cloudtrail-rules.py"));
    }

    Run run = coldspy("verify", "--baseline", baseline.toString(),
        current.resolve("check-cloudtrail-rules.py") + ":handler", "--event", current.resolve("events").toString(),
        "--cold-starts", "2", "--format", "json", "-o", dir.resolve("verify.json").toString());

    assertEquals(ExitCodes.OK, run.status(), run.err() + run.out());
    assertTrue(JSON.readTree(run.out()).get("outputsIdentical").asBoolean(), run.out());
  }

  @Test
  void aChangedReturnValueIsCaughtButAChangedExceptionMessageIsNotBehaviour() throws Exception {
    copies();
    // Events with invalid records return a changed value; the S3 event raises the same type with another text.
    FixtureApps.edit(current.resolve("handler.py"), "\"problem\": problem}", "\"problem\": problem.upper()}");
    FixtureApps.edit(baseline.resolve("handler.py"), "f\"unsupported event source: {source!r}\"",
        "f\"no reader for {source!r}\"");

    JsonNode result = verifyJson(1, ExitCodes.FINDINGS);

    assertFalse(result.get("outputsIdentical").asBoolean());
    assertEquals(List.of("kinesis-malformed-data.json"), differingEvents(result));
    JsonNode difference = result.get("differences").get(0);
    assertEquals("kinesis data is not JSON",
        difference.get("before").get("return").get("invalid").get(0).get("problem").asText());
    assertEquals("KINESIS DATA IS NOT JSON",
        difference.get("after").get("return").get("invalid").get(0).get("problem").asText());
  }

  @Test
  void aChangedExceptionTypeIsCaught() throws Exception {
    copies();
    FixtureApps.edit(current.resolve("handler.py"), "raise UnsupportedSource(", "raise TypeError(");

    JsonNode result = verifyJson(1, ExitCodes.FINDINGS);

    assertEquals(List.of("s3-notification-unsupported.json"), differingEvents(result));
    JsonNode difference = result.get("differences").get(0);
    assertEquals("handler.UnsupportedSource", difference.get("before").get("exception").get("type").asText());
    assertEquals("TypeError", difference.get("after").get("exception").get("type").asText());
  }

  @Test
  void aNoOpEditIsNoSignificantChange() throws Exception {
    copies();
    Files.writeString(current.resolve("handler.py"), Files.readString(current.resolve("handler.py"))
        + "\n\n# A comment and a function nobody calls: no behaviour, no cost.\ndef unused():\n    return None\n");

    JsonNode result = verifyJson(8, ExitCodes.OK);

    assertTrue(result.get("outputsIdentical").asBoolean());
    assertEquals("no significant change", result.get("verdict").asText(), result.toString());
    assertFalse(result.get("significant").asBoolean());
    JsonNode band = result.get("noiseBand");
    assertTrue(band.get("low").asDouble() <= 1 && 1 <= band.get("high").asDouble(), band.toString());
  }

  @Test
  void textReportsTheMediansAndTheVerdict() throws Exception {
    copies();
    Path stored = dir.resolve("out/verify.json");

    Run run = coldspy("verify", "--baseline", baseline.toString(), current.resolve("handler.py") + ":handler",
        "--event", current.resolve("events/kinesis-console-logins.json").toString(), "--cold-starts", "1",
        "-o", stored.toString());

    assertEquals(ExitCodes.OK, run.status(), run.err());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(0).startsWith("handler.py:handler: 1 cold starts of the baseline and of the current code"
        + " (interleaved), 1 event each, Python 3."), lines.get(0));
    assertTrue(lines.get(2).matches("init +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+  n/a–n/a"), lines.get(2));
    assertTrue(lines.get(5).startsWith("no significant change: ") && lines.get(5).endsWith(
        "; too few cold starts to tell it from noise (6 or more needed), outputs identical"), lines.get(5));
    assertEquals("Stored in " + stored, lines.get(6));
    assertTrue(Files.isRegularFile(stored));
  }

  @Test
  void badInputIsAOneLineErrorNamingTheFile() throws Exception {
    copies();
    String handler = current.resolve("handler.py") + ":handler";
    String events = current.resolve("events").toString();
    Files.writeString(baseline.resolve("handler.py"), "raise ValueError('no config at import')\n");
    Path notJson = Files.writeString(dir.resolve("bad.json"), "{\"Records\": [");
    List<String[]> cases = new ArrayList<>();
    cases.add(new String[] {"--baseline", dir.resolve("missing").toString(), handler, "--event", events});
    cases.add(new String[] {"--baseline", baseline.toString(), current.resolve("handler.py").toString(), "--event", events});
    cases.add(new String[] {"--baseline", baseline.toString(), dir.resolve("nope.py") + ":handler", "--event", events});
    cases.add(new String[] {"--baseline", baseline.toString(), handler, "--event", events, "--python", "/no/such/python3"});
    cases.add(new String[] {"--baseline", baseline.toString(), handler, "--event", notJson.toString()});
    cases.add(new String[] {"--baseline", baseline.toString(), handler, "--event", events, "--cold-starts", "1"});
    cases.add(new String[] {"--baseline", current.toString(), current.resolve("handler.py") + ":no_such_function",
        "--event", events, "--cold-starts", "1"});
    List<String> expected = List.of(
        "coldspy: " + dir.resolve("missing") + ": baseline directory not found",
        "coldspy: " + current.resolve("handler.py") + ": expected APP_DIR/FILE.py:FUNCTION (e.g. app/handler.py:handler)",
        "coldspy: " + dir.resolve("nope.py") + ": handler file not found",
        "coldspy: cannot run the Python interpreter '/no/such/python3' (No such file or directory); install Python 3"
            + " or name one with --python",
        "coldspy: " + notJson + ": not a JSON event: Unexpected end-of-input: expected close marker for Array"
            + " (line 1, column 14)",
        "coldspy: " + baseline.resolve("handler.py") + ": importing the baseline's handler raised ValueError:"
            + " no config at import",
        "coldspy: " + current.resolve("handler.py") + ": the baseline's module has no function 'no_such_function'");
    for (int i = 0; i < cases.size(); i++) {
      List<String> args = new ArrayList<>(List.of("verify", "-o", dir.resolve("out.json").toString()));
      args.addAll(List.of(cases.get(i)));

      Run run = coldspy(args.toArray(String[]::new));

      assertEquals(ExitCodes.ERROR, run.status(), run.err());
      assertEquals(expected.get(i) + "\n", run.err());
      assertEquals("", run.out());
    }
  }

  private static List<String> differingEvents(JsonNode result) {
    List<String> events = new ArrayList<>();
    result.get("differences").forEach(difference -> events.add(difference.get("event").asText()));
    return events;
  }
}
