package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.util.Map;
import org.eclipse.lsp4j.InitializeParams;
import org.junit.jupiter.api.Test;

/** {@code initializationOptions.workspaceTrusted}: only an explicit false distrusts the workspace. */
class ClientFeaturesTest {
  private static ClientFeatures sent(Object initializationOptions) {
    InitializeParams params = new InitializeParams();
    params.setCapabilities(ServerConnection.vsCodeLikeCapabilities());
    params.setInitializationOptions(initializationOptions);
    return ClientFeatures.of(params);
  }

  @Test
  void vsCodeSaysWhetherTheWorkspaceIsTrusted() {
    assertFalse(sent(JsonParser.parseString("{\"workspaceTrusted\": false}")).workspaceTrusted());
    assertTrue(sent(JsonParser.parseString("{\"workspaceTrusted\": true}")).workspaceTrusted());
    assertFalse(sent(Map.of("workspaceTrusted", false)).workspaceTrusted());
  }

  @Test
  void aClientWithoutTheOptionIsTrusted() {
    assertTrue(sent(null).workspaceTrusted(), "no initializationOptions (LSP4IJ)");
    assertTrue(sent(JsonParser.parseString("{\"other\": 1}")).workspaceTrusted());
    assertTrue(sent(JsonParser.parseString("{\"workspaceTrusted\": \"no\"}")).workspaceTrusted());
    assertTrue(sent(JsonParser.parseString("[]")).workspaceTrusted());
  }

  @Test
  void capabilitiesAreStillRead() {
    ClientFeatures features = sent(null);
    assertTrue(features.configuration() && features.workDoneProgress() && features.inlayHintRefresh());
  }
}
