package dev.coldspy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ReportPageTest {
  @Test
  void dataThatLooksLikeAnEndTagStaysInsideTheScriptAndParsesToTheSameJson() throws Exception {
    String json = "{\"statement\":\"import x  # </script><script>alert(1)</script> <!-- y\"}";
    String safe = ReportPage.scriptSafe(json);

    assertFalse(safe.contains("</"), "no end tag can close the data element");
    assertFalse(safe.contains("<!--"), "no comment opener");
    ObjectMapper mapper = new ObjectMapper();
    assertEquals(mapper.readTree(json), mapper.readTree(safe));
  }
}
