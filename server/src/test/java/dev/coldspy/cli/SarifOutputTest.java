package dev.coldspy.cli;

import static dev.coldspy.cli.CheckRunner.check;
import static dev.coldspy.cli.CheckRunner.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
    assertEquals("error", pandas.get("level").asText()); // saves 303.5 ms: at least error-ms (100)
    JsonNode region = pandas.get("locations").get(0).get("physicalLocation").get("region");
    assertEquals(4, region.get("startLine").asInt());
    assertEquals(1, region.get("startColumn").asInt());
    assertTrue(pandas.get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri").asText()
        .endsWith("coldspy-pkl/report_app/handler.py"));
  }

  @Test
  void theValidatorRejectsWhatIsNotSarif() throws Exception {
    JsonNode notSarif = new ObjectMapper().readTree("{\"version\": \"2.1.0\", \"runs\": [{\"results\": []}]}");
    assertTrue(!sarifSchema().validate(notSarif).isEmpty(), "a run without a tool must be refused");
  }
}
