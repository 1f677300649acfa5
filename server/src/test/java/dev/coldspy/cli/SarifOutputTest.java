package dev.coldspy.cli;

import static dev.coldspy.cli.CheckRunner.check;
import static dev.coldspy.cli.CheckRunner.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check --format sarif} writes SARIF 2.1.0 that validates against the official schema. */
class SarifOutputTest {
  /** The schema's own id; mapped onto the vendored copy so the test never touches the network. */
  private static final String SCHEMA_ID =
      "https://raw.githubusercontent.com/schemastore/schemastore/master/src/schemas/json/sarif-2.1.0-rtm.5.json";

  private static JsonSchema sarifSchema() {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
        builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(
            "https://raw.githubusercontent.com/schemastore/schemastore/master/src/schemas/json/",
            "classpath:sarif/")));
    return factory.getSchema(SchemaLocation.of(SCHEMA_ID));
  }

  @Test
  void sarifValidatesAndCarriesRulesLocationsAndUseSites() throws Exception {
    CheckRunner.Run run = check("--format", "sarif", "--profile",
        resource("profiles/pkl/report_app-1795421666.167646.pkl"), resource("coldspy-pkl/report_app"));
    assertEquals(1, run.status(), run.err());
    JsonNode sarif = new ObjectMapper().readTree(run.out());
    Set<ValidationMessage> problems = sarifSchema().validate(sarif);
    assertTrue(problems.isEmpty(), problems.toString());

    assertEquals("2.1.0", sarif.get("version").asText());
    JsonNode sarifRun = sarif.get("runs").get(0);
    assertEquals("CS101", sarifRun.get("tool").get("driver").get("rules").get(0).get("id").asText());
    JsonNode pandas = sarifRun.get("results").get(0);
    assertEquals("CS102", pandas.get("ruleId").asText());
    assertEquals("warning", pandas.get("level").asText()); // saves 303.5 ms: a warning (error is opt-in)
    JsonNode estimate = pandas.get("properties").get("estimate");
    assertEquals("{\"initMs\":303.522,\"firstInvocationMs\":0.0,\"coldStartMs\":303.522}", estimate.toString());
    JsonNode region = pandas.get("locations").get(0).get("physicalLocation").get("region");
    assertEquals(4, region.get("startLine").asInt());
    assertEquals(1, region.get("startColumn").asInt());
    // Under the working directory (the module, when Maven runs the tests), so relative to it.
    JsonNode artifact = pandas.get("locations").get(0).get("physicalLocation").get("artifactLocation");
    assertEquals("target/test-classes/coldspy-pkl/report_app/handler.py", artifact.get("uri").asText());
    assertEquals("%SRCROOT%", artifact.get("uriBaseId").asText());
    assertEquals(Path.of("").toAbsolutePath().toUri().toString(),
        sarifRun.get("originalUriBaseIds").get("%SRCROOT%").get("uri").asText());
    assertFalse(sarifRun.get("tool").get("driver").has("informationUri"), "no made-up project URL");
    assertFalse(sarifRun.has("invocations"), "no budget, nothing to report about it");
  }

  @Test
  void sourcesOutsideTheWorkingDirectoryAreRelativeToTheirOwnRoot(@TempDir Path dir) throws Exception {
    Path app = Files.createDirectories(dir.resolve("my app"));
    Files.copy(Path.of(resource("coldspy-pkl/report_app/handler.py")), app.resolve("handler.py"));
    CheckRunner.Run run = check("--format", "sarif", "--profile",
        resource("profiles/pkl/report_app-1795421666.167646.pkl"), app.toString());
    JsonNode sarifRun = new ObjectMapper().readTree(run.out()).get("runs").get(0);
    assertTrue(sarifSchema().validate(new ObjectMapper().readTree(run.out())).isEmpty());
    assertEquals(app.toUri().toString(), sarifRun.get("originalUriBaseIds").get("%SRCROOT%").get("uri").asText());
    for (JsonNode result : sarifRun.get("results")) {
      JsonNode artifact = result.get("locations").get(0).get("physicalLocation").get("artifactLocation");
      assertEquals("handler.py", artifact.get("uri").asText());
      assertEquals("%SRCROOT%", artifact.get("uriBaseId").asText());
    }
  }

  @Test
  void anExceededBudgetIsANotificationOnTheInvocation() throws Exception {
    CheckRunner.Run run = check("--format", "sarif", "--min-ms", "800", "--budget-ms", "300", "--profile",
        resource("profiles/pkl/report_app-1795421666.167646.pkl"), resource("coldspy-pkl/report_app"));
    assertEquals(1, run.status(), "no finding saves 400 ms: the budget alone fails the check");
    JsonNode sarif = new ObjectMapper().readTree(run.out());
    Set<ValidationMessage> problems = sarifSchema().validate(sarif);
    assertTrue(problems.isEmpty(), problems.toString());
    JsonNode sarifRun = sarif.get("runs").get(0);
    assertEquals(0, sarifRun.get("results").size());
    JsonNode invocation = sarifRun.get("invocations").get(0);
    JsonNode notification = invocation.get("toolExecutionNotifications").get(0);
    assertEquals("error", notification.get("level").asText());
    assertEquals("report_app: init 468.5 ms (median) exceeds the budget of 300.0 ms",
        notification.get("message").get("text").asText());
    JsonNode budget = invocation.get("properties").get("budgets").get(0);
    assertEquals(300.0, budget.get("ms").asDouble());
    assertEquals(468.5, budget.get("medianInitMs").asDouble(), 0.05);
    assertTrue(budget.get("exceeded").asBoolean());

    CheckRunner.Run within = check("--format", "sarif", "--min-ms", "800", "--budget-ms", "500", "--profile",
        resource("profiles/pkl/report_app-1795421666.167646.pkl"), resource("coldspy-pkl/report_app"));
    assertEquals(0, within.status());
    JsonNode withinInvocation = new ObjectMapper().readTree(within.out()).get("runs").get(0).get("invocations").get(0);
    assertEquals(0, withinInvocation.get("toolExecutionNotifications").size());
    assertFalse(withinInvocation.get("properties").get("budgets").get(0).get("exceeded").asBoolean());
  }

  @Test
  void theValidatorRejectsWhatIsNotSarif() throws Exception {
    JsonNode notSarif = new ObjectMapper().readTree("{\"version\": \"2.1.0\", \"runs\": [{\"results\": []}]}");
    assertTrue(!sarifSchema().validate(notSarif).isEmpty(), "a run without a tool must be refused");
  }
}
