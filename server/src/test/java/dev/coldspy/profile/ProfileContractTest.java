package dev.coldspy.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Holds the JSON test profiles and the golden profiles of {@code fixtures/profiles/} to the contract
 * ({@code docs/profile.schema.json}), and reads every fixture profile and importtime log the repository has.
 */
class ProfileContractTest {
  /** Tests run in {@code server/}; the repository root is one level up. */
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void testProfilesValidateAgainstTheSchema() throws Exception {
    JsonSchema schema = schema();

    for (Path profile : List.of(TestProfiles.ordersRun1(), TestProfiles.ordersRun2())) {
      Set<ValidationMessage> problems = schema.validate(JSON.readTree(profile.toFile()));
      assertEquals(Set.of(), problems, profile.toString());
    }
  }

  @Test
  void theValidatorRejectsWhatTheReaderRejects() throws Exception {
    JsonNode wrongVersion = JSON.readTree(
        Files.readString(TestProfiles.ordersRun1()).replace("\"schemaVersion\": 1", "\"schemaVersion\": 2"));

    assertFalse(schema().validate(wrongVersion).isEmpty());
  }

  @Test
  void goldenFixtureProfilesValidateAndRead() throws Exception {
    JsonSchema schema = schema();
    for (Path profile : files(REPOSITORY.resolve("fixtures/profiles"), ".json")) {
      assertEquals(Set.of(), schema.validate(JSON.readTree(profile.toFile())), profile.toString());
      Profile read = ProfileReader.read(profile);
      assertFalse(read.coldStarts().isEmpty(), profile.toString());
      assertEquals(read.settings().usageSignal().isExact(), read.hasExactUsage());
    }
  }

  @Test
  void fixtureImporttimeLogsReadAsOneColdStartOfTheHandler() throws Exception {
    List<Path> logs = files(REPOSITORY.resolve("fixtures/importtime"), ".log");
    for (Path log : logs) {
      Profile profile = ProfileReader.read(log);
      String app = log.getFileName().toString().replace(".log", "");

      assertEquals(app, profile.app().name());
      assertEquals(1, profile.coldStarts().size(), log.toString());
      ColdStart run = profile.coldStarts().get(0);
      // `python3 -X importtime -c "__import__('handler')"`: after interpreter start-up, the handler module
      // (named by the app's recorded outputs: not always handler.py) is the one top-level import and
      // everything else hangs below it.
      String handlerModule = handlerModuleOf(app);
      assertEquals(List.of(handlerModule), run.modules().stream().filter(m -> m.parent() == null)
          .map(ModuleImport::name).toList(), log.toString());
      assertEquals(run.modulesByName().get(handlerModule).cumulativeUs(), run.initUs());
      assertFalse(profile.usageKnown());
      assertEquals(List.of(), profile.readerWarnings());
    }
  }

  /** The handler module of a fixture app: the file part of the "handler" its recorded outputs name. */
  private static String handlerModuleOf(String app) throws IOException {
    JsonNode outputs = new ObjectMapper().readTree(REPOSITORY.resolve("fixtures/outputs/" + app + ".json").toFile());
    String handler = outputs.get("handler").asText();
    return handler.substring(0, handler.indexOf(".py:"));
  }

  @Test
  void pdfReportLogShowsRichUnderTheHandler() throws Exception {
    Path log = REPOSITORY.resolve("fixtures/importtime/pdf_report.log");
    ColdStart run = ProfileReader.read(log).coldStarts().get(0);

    ModuleImport rich = run.modulesByName().get("rich");
    assertTrue(rich != null && rich.cumulativeUs() > 0);
    String ancestor = rich.parent();
    while (run.modulesByName().get(ancestor).parent() != null) {
      ancestor = run.modulesByName().get(ancestor).parent();
    }
    assertEquals("handler", ancestor);
  }

  @Test
  void theGoldenProfilesCollectionsAreSharedOutKeepingEachPhasesTotal() throws Exception {
    Path golden = REPOSITORY.resolve("fixtures/profiles/delivery_zones.json");
    JsonNode raw = JSON.readTree(golden.toFile());
    List<ColdStart> read = ProfileReader.read(golden).coldStarts();

    for (int c = 0; c < read.size(); c++) {
      JsonNode modules = raw.get("coldStarts").get(c).get("modules");
      long rawInitUs = 0;
      long collectedUs = 0;
      long readInitUs = 0;
      int mostCollected = -1;
      for (int m = 0; m < modules.size(); m++) {
        JsonNode module = modules.get(m);
        if (module.get("phase").asText().equals("init")) {
          rawInitUs += module.get("selfUs").asLong();
          readInitUs += read.get(c).modules().get(m).selfUs();
          long gcUs = module.path("fullGcUs").asLong(0);
          collectedUs += gcUs;
          if (gcUs > 0 && (mostCollected < 0 || gcUs > modules.get(mostCollected).get("fullGcUs").asLong())) {
            mostCollected = m;
          }
        }
      }
      assertTrue(collectedUs > 0, "cold start " + c + " records a full collection");
      assertEquals(rawInitUs, readInitUs, "cold start " + c + ": init's own times keep their sum");
      JsonNode collected = modules.get(mostCollected);
      assertTrue(read.get(c).modules().get(mostCollected).selfUs() < collected.get("selfUs").asLong(),
          collected.get("name").asText() + " gives up the collection that landed in it");
    }
  }

  private static JsonSchema schema() throws IOException {
    try (InputStream in = Files.newInputStream(REPOSITORY.resolve("docs/profile.schema.json"))) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }

  private static List<Path> files(Path dir, String extension) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return new ArrayList<>(list.filter(p -> p.toString().endsWith(extension)).sorted().toList());
    }
  }
}
