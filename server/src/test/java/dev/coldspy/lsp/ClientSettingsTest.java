package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The editor's {@code coldspy.fixVendoredLibraries}: the server's own switch, off unless set to true. */
class ClientSettingsTest {
  private static ClientSettings parse(String json) {
    return ClientSettings.parse(JsonParser.parseString(json));
  }

  @Test
  void quickFixesInVendoredLibrariesAreOptIn() {
    assertFalse(ClientSettings.DEFAULTS.fixVendoredLibraries());
    assertFalse(parse("{\"minMs\": 5}").fixVendoredLibraries());
    ClientSettings on = parse("{\"fixVendoredLibraries\": true, \"minMs\": 5}");
    assertTrue(on.fixVendoredLibraries());
    // the server's own setting, not a [tool.coldspy] key: no warning about an unknown key
    assertEquals(List.of(), on.problems());
    assertEquals(Map.of("minMs", 5.0), on.overrides());
  }

  @Test
  void anythingButABooleanIsReportedAndLeavesItOff() {
    ClientSettings wrong = parse("{\"fixVendoredLibraries\": \"yes\"}");
    assertFalse(wrong.fixVendoredLibraries());
    assertEquals(List.of("editor settings (coldspy.*): 'fixVendoredLibraries' must be true or false, not yes"
        + " (ignored)"), wrong.problems());
  }
}
