package dev.coldspy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coldspy.engine.AppSources;
import dev.coldspy.engine.Engine;
import dev.coldspy.engine.EngineSettings;
import dev.coldspy.engine.Knowledge;
import dev.coldspy.profile.ProfileReader;
import dev.coldspy.profile.ProfileSet;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report's per-module compile columns ({@code compileMs}, {@code compiledIn}, {@code compileCause}) from
 * the golden profile of rules_engine on Python 3.12 with libraries that carry only {@code cpython-311} bytecode.
 */
class ReportDataCompileTest {
  private static final Path LAYER_PROFILE =
      Path.of("../fixtures/profiles/rules_engine.py312-layer311.json").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void modulesCarryTheirMedianCompileTimeTheColdStartsThatCompiledThemAndTheCause() throws Exception {
    ProfileSet profiles = ProfileSet.of(List.of(ProfileReader.read(LAYER_PROFILE)));
    StringWriter out = new StringWriter();
    ReportData.write(new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS).analyze(profiles, AppSources.of(List.of())),
        profiles, null, "/home/me/app", out);
    Map<String, JsonNode> modules = new HashMap<>();
    JSON.readTree(out.toString()).get("modules").forEach(m -> modules.put(m.get("name").asText(), m));

    JsonNode policyuniverse = modules.get("policyuniverse");
    assertEquals(medianCompileMs("policyuniverse"), policyuniverse.get("compileMs").asDouble(), 0.0005);
    assertEquals(10, policyuniverse.get("compiledIn").asInt());
    assertEquals("other-version", policyuniverse.get("compileCause").asText());
    assertEquals("none", modules.get("handler").get("compileCause").asText());
    // The standard library's bytecode is the runtime's: no compile column for it.
    assertFalse(modules.get("json").has("compileMs"));
  }

  private static double medianCompileMs(String name) throws Exception {
    List<Long> values = new ArrayList<>();
    for (JsonNode coldStart : JSON.readTree(LAYER_PROFILE.toFile()).get("coldStarts")) {
      for (JsonNode module : coldStart.get("modules")) {
        if (module.get("name").asText().equals(name)) {
          values.add(module.get("bytecode").get("compileUs").asLong());
        }
      }
    }
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    int n = sorted.length;
    return (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0) / 1000;
  }
}
