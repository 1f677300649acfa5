package dev.coldspy.engine;

import static dev.coldspy.engine.RecordedApp.findings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.engine.RecordedApp.Recorded;
import dev.coldspy.profile.ModuleUsage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line that imports one of the app's modules is charged also for what that module's own lines import: deferring
 * {@code from schemas import LegacySchema} keeps schemas.py from running at init, and with it its {@code from
 * marshmallow import Schema, fields}, which its class bodies use (so that line cannot go itself). Found on a Stripe
 * webhook: the handler's line read "never used, saves ~0.6 ms" where deferring it saved 73 ms, and "never used"
 * was wrong as well — a schema's methods are marshmallow's, so schemas.py's own code never runs when it is used.
 */
class AppModuleLinesTest {
  @TempDir Path root;

  private static final String HANDLER = """
      from schemas import LegacySchema
      import helper


      def handler(event, context):
          if event.get("route") == "legacy":
              return LegacySchema().load(event["body"])
          return helper.run(event)
      """;

  private static final String SCHEMAS = """
      from marshmallow import Schema, fields


      class LegacySchema(Schema):
          order_no = fields.Str(required=True)
      """;

  private static final String HELPER = "def run(event):\n    return event\n";

  /** schemas (own cost {@code schemasMs}) imported by handler.py:1, marshmallow (80 ms) by schemas.py:1. */
  private static List<Recorded> schemasThenMarshmallow(long schemasMs) {
    return List.of(
        new Recorded("schemas", "handler", schemasMs, "schemas.py", "handler.py", 1),
        new Recorded("marshmallow", "schemas", 80, "marshmallow/__init__.py", "schemas.py", 1),
        new Recorded("helper", "handler", 1, "helper.py", "handler.py", 2));
  }

  /**
   * schemas.py's own code never runs after init; marshmallow's runs at init for schemas.py's class body, and in
   * the handler calls of the first {@code marshmallowUsedIn} cold starts.
   */
  private Analysis analyze(String helper, List<Recorded> recorded, int marshmallowUsedIn) throws IOException {
    return RecordedApp.analyze(root,
        Map.of("handler.py", HANDLER, "schemas.py", SCHEMAS, "helper.py", helper,
            "marshmallow/__init__.py", "class Schema:\n    pass\n"),
        recorded, List.of("handler.py", "schemas.py", "helper.py"), coldStart -> {
          Map<String, ModuleUsage> usage = new HashMap<>();
          usage.put("schemas", new ModuleUsage(0, false));
          usage.put("marshmallow", new ModuleUsage(0, coldStart < marshmallowUsedIn, true, List.of("schemas")));
          return usage;
        });
  }

  @Test
  void aLineImportingAnAppModule_savesWhatThatModulesLinesLoad_andIsUsedWhenTheirLibraryIs() throws IOException {
    Analysis analysis = analyze(HELPER, schemasThenMarshmallow(1), 1);

    // 81 ms deferred, paid again in the 1 of 10 cold starts whose handler call uses the schema
    assertEquals(List.of("handler.py:1 CS102 73"), findings(analysis));
    Finding finding = analysis.findings().get(0);
    assertEquals(81_000, finding.cost().costMedianUs(), 0.001);
    assertEquals(1, finding.cost().usage().coldStartsUsed());
    assertTrue(finding.detail().contains("Counted with it: what the app modules it loads import through their own"
        + " lines, schemas.py:1 (marshmallow, 80.0 ms)"), finding.detail());
    // the line's own figures stay its own: what it loaded first itself
    StatementCost own = analysis.statements().stream()
        .filter(s -> s.file().equals("handler.py") && s.oneBasedLine() == 1).findFirst().orElseThrow();
    assertEquals(1_000, own.costMedianUs(), 0.001);
  }

  @Test
  void anAppModuleWhoseLibraryRunsInEveryRequestIsUsed_thoughItsOwnCodeNeverRuns() throws IOException {
    Analysis analysis = analyze(HELPER, schemasThenMarshmallow(10), 10);

    assertEquals(List.of(), findings(analysis));
  }

  @Test
  void whatCodeThatStaysImportsTooIsNoSaving() throws IOException {
    // helper.py, imported by handler.py:2 and run in every request, imports marshmallow at its top as well
    Analysis analysis = analyze("from marshmallow import Schema\n\nBASE = Schema\n\n\ndef run(event):\n"
        + "    return event\n", schemasThenMarshmallow(1), 1);

    // schemas' own 1 ms is all that goes
    assertEquals(List.of("handler.py:1 CS102 1"), findings(analysis));
  }

  @Test
  void anAppModuleLineWithAFindingOfItsOwn_keepsItsSaving_andTheLineAboveIsJudgedAlone() throws IOException {
    // schemas.py:6 loads a library that only a function uses, never called
    Analysis analysis = RecordedApp.analyze(root,
        Map.of("handler.py", HANDLER, "helper.py", HELPER,
            "schemas.py", SCHEMAS + "import reports\n\n\ndef export(rows):\n    return reports.render(rows)\n",
            "marshmallow/__init__.py", "class Schema:\n    pass\n", "reports/__init__.py", "def render(r):\n    pass\n"),
        List.of(
            new Recorded("schemas", "handler", 1, "schemas.py", "handler.py", 1),
            new Recorded("marshmallow", "schemas", 80, "marshmallow/__init__.py", "schemas.py", 1),
            new Recorded("reports", "schemas", 50, "reports/__init__.py", "schemas.py", 6),
            new Recorded("helper", "handler", 1, "helper.py", "handler.py", 2)),
        List.of("handler.py", "schemas.py", "helper.py"), coldStart -> Map.of(
            "schemas", new ModuleUsage(0, false),
            "reports", new ModuleUsage(0, false),
            "marshmallow", new ModuleUsage(0, coldStart < 1, true, List.of("schemas"))));

    // handler.py:1 keeps its own 1 ms, used when marshmallow is
    assertEquals(List.of("schemas.py:6 CS101 50", "handler.py:1 CS102 1"), findings(analysis));
  }
}
