package dev.coldspy.report;

import dev.coldspy.engine.Analysis;
import dev.coldspy.profile.ProfileSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The self-contained HTML report: one file holding the page, its style, its script and its data, so it works
 * from {@code file://}, in a VS Code webview and offline. Charts are inline SVG drawn by the page's own
 * script; nothing is fetched when the page is viewed.
 */
public final class ReportPage {
  private static final String DATA_MARK = "/*COLDSPY_DATA*/";
  private static final String STYLE_MARK = "/*COLDSPY_STYLE*/";
  private static final String SCRIPT_MARK = "/*COLDSPY_SCRIPT*/";

  private ReportPage() {}

  /**
   * The page for one analysis.
   *
   * @param before profiles recorded before a fix, or null
   * @param sourceRoot absolute directory the analysis' file paths are relative to (for file links)
   */
  public static String render(Analysis analysis, ProfileSet profiles, ProfileSet before, String sourceRoot) {
    StringWriter data = new StringWriter();
    ReportData.write(analysis, profiles, before, sourceRoot, data);
    String page = resource("report.html");
    return page
        .replace(STYLE_MARK, resource("report.css"))
        .replace(SCRIPT_MARK, resource("report.js"))
        .replace(DATA_MARK, scriptSafe(data.toString()));
  }

  /**
   * JSON inside a {@code <script>} element ends at the first {@code </}; escaping the slash keeps the JSON
   * equal while the HTML parser cannot see an end tag or a comment opener in it.
   */
  static String scriptSafe(String json) {
    return json.replace("</", "<\\/").replace("<!--", "<\\u0021--");
  }

  private static String resource(String name) {
    try (InputStream in = ReportPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("report resource missing from the jar: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
