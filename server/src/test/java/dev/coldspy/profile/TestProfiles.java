package dev.coldspy.profile;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test profiles under src/test/resources/profiles, and helpers to make broken copies of them. */
final class TestProfiles {
  private TestProfiles() {}

  static Path resource(String relative) {
    try {
      return Path.of(TestProfiles.class.getResource("/profiles/" + relative).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path ordersRun1() {
    return resource("json/orders_app-run1.json");
  }

  static Path ordersRun2() {
    return resource("json/orders_app-run2.json");
  }

  static Path reportAppPickle() {
    return resource("pkl/report_app-1795421666.167646.pkl");
  }

  static Path templateAppPickle() {
    return resource("pkl/template_app-1795421666.838479.pkl");
  }

  static Path csvAppLog() {
    return resource("importtime/csv_app-1795420000.log");
  }

  /** A copy of a resource's text with one replacement applied (which must match). */
  static Path editedCopy(Path source, Path dir, String name, String from, String to) throws IOException {
    String text = Files.readString(source, StandardCharsets.UTF_8);
    if (!text.contains(from)) {
      throw new IllegalArgumentException("'" + from + "' not in " + source);
    }
    Path copy = dir.resolve(name);
    Files.writeString(copy, text.replace(from, to), StandardCharsets.UTF_8);
    return copy;
  }
}
