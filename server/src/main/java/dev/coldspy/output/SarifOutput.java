package dev.coldspy.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.coldspy.engine.Analysis;
import dev.coldspy.engine.CompileFinding;
import dev.coldspy.engine.Finding;
import dev.coldspy.engine.LibraryLine;
import dev.coldspy.engine.Units;
import dev.coldspy.engine.UnusedPart;
import dev.coldspy.engine.UseSite;
import dev.coldspy.rules.RuleCode;
import dev.coldspy.rules.Severity;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes findings as SARIF 2.1.0 for code-scanning UIs (GitHub code scanning, VS Code SARIF viewer). Every
 * rule code is declared in the driver so results can refer to it by index; columns are UTF-16 code units.
 * Files are URIs relative to {@value #SRCROOT} (declared in {@code originalUriBaseIds}), as code-scanning UIs
 * resolve them against their checkout; a file outside it keeps its absolute {@code file:} URI. An init-time
 * budget is reported on the run's invocation: its figures as properties, and a notification when exceeded.
 */
public final class SarifOutput {
  private static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String SRCROOT = "%SRCROOT%";

  private SarifOutput() {}

  /**
   * The directory results are relative to: the working directory when the analysed sources lie under it
   * (CI runs {@code coldspy check} from the repository root), else the sources' own root.
   */
  public static Path sourceRootBase(Path sourceRoot) {
    Path workingDirectory = Path.of("").toAbsolutePath().normalize();
    return sourceRoot.startsWith(workingDirectory) ? workingDirectory : sourceRoot;
  }

  /**
   * @param budgetMs the init-time budget, or null for none
   * @param base the absolute directory {@value #SRCROOT} stands for
   */
  public static String write(List<Analysis> analyses, String toolVersion, Double budgetMs, Path base) {
    Path root = base.toAbsolutePath().normalize();
    StringWriter out = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("$schema", SCHEMA);
      json.writeStringField("version", "2.1.0");
      json.writeArrayFieldStart("runs");
      json.writeStartObject();
      driver(json, toolVersion);
      if (budgetMs != null) {
        invocation(json, analyses, budgetMs);
      }
      json.writeObjectFieldStart("originalUriBaseIds");
      json.writeObjectFieldStart(SRCROOT);
      String baseUri = root.toUri().toString();
      json.writeStringField("uri", baseUri.endsWith("/") ? baseUri : baseUri + "/");
      json.writeEndObject();
      json.writeEndObject();
      json.writeStringField("columnKind", "utf16CodeUnits");
      json.writeArrayFieldStart("results");
      for (Analysis analysis : analyses) {
        for (Finding finding : analysis.findings()) {
          result(json, finding, root);
        }
        if (analysis.compile() != null && analysis.compile().file() != null) {
          result(json, analysis.compile(), root);
        }
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out + "\n";
  }

  private static void driver(JsonGenerator json, String toolVersion) throws IOException {
    json.writeObjectFieldStart("tool");
    json.writeObjectFieldStart("driver");
    json.writeStringField("name", "ColdSpy");
    json.writeStringField("version", toolVersion);
    json.writeArrayFieldStart("rules");
    for (RuleCode rule : RuleCode.values()) {
      json.writeStartObject();
      json.writeStringField("id", rule.code());
      json.writeStringField("name", rule.slug());
      json.writeObjectFieldStart("shortDescription");
      json.writeStringField("text", rule.shortDescription());
      json.writeEndObject();
      json.writeObjectFieldStart("defaultConfiguration");
      json.writeStringField("level", rule.sarifLevel());
      json.writeEndObject();
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
    json.writeEndObject();
  }

  /** The budget's figures per handler, and a notification for each handler over it. */
  private static void invocation(JsonGenerator json, List<Analysis> analyses, double budgetMs) throws IOException {
    json.writeArrayFieldStart("invocations");
    json.writeStartObject();
    json.writeBooleanField("executionSuccessful", true);
    json.writeArrayFieldStart("toolExecutionNotifications");
    for (Analysis analysis : analyses) {
      if (analysis.summary().exceedsBudget(budgetMs)) {
        json.writeStartObject();
        json.writeStringField("level", "error");
        json.writeObjectFieldStart("message");
        json.writeStringField("text", TextOutput.overBudget(analysis.summary(), budgetMs));
        json.writeEndObject();
        json.writeEndObject();
      }
    }
    json.writeEndArray();
    json.writeObjectFieldStart("properties");
    json.writeArrayFieldStart("budgets");
    for (Analysis analysis : analyses) {
      json.writeStartObject();
      json.writeStringField("app", analysis.summary().app());
      json.writeFieldName("ms");
      json.writeNumber(Units.msNumber(budgetMs * 1000));
      json.writeFieldName("medianInitMs");
      json.writeNumber(Units.msNumber(analysis.summary().initUs().median()));
      json.writeBooleanField("exceeded", analysis.summary().exceedsBudget(budgetMs));
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
    json.writeEndObject();
    json.writeEndArray();
  }

  /** Opens a result: its rule, level, message and its one location. */
  private static void startResult(JsonGenerator json, RuleCode rule, Severity severity, String message, Path base,
      String file, int line, int column, int endLine) throws IOException {
    json.writeStartObject();
    json.writeStringField("ruleId", rule.code());
    json.writeNumberField("ruleIndex", rule.ordinal());
    json.writeStringField("level", level(severity));
    json.writeObjectFieldStart("message");
    json.writeStringField("text", message);
    json.writeEndObject();
    json.writeArrayFieldStart("locations");
    location(json, base, file, line, column, endLine, null, -1);
    json.writeEndArray();
  }

  private static void result(JsonGenerator json, Finding finding, Path base) throws IOException {
    startResult(json, finding.rule(), finding.severity(), finding.message(), base, finding.file(),
        finding.oneBasedLine(), finding.oneBasedColumn(), finding.cost().oneBasedEndLine());
    List<UnusedPart> parts = finding.rule() == RuleCode.UNUSED_PART ? finding.cost().unusedParts() : List.of();
    if (!finding.useSites().isEmpty() || parts.stream().anyMatch(part -> part.libraryLine() != null)) {
      json.writeArrayFieldStart("relatedLocations");
      int id = 0;
      for (UseSite site : finding.useSites()) {
        location(json, base, site.file(), site.oneBasedLine(), 0, site.oneBasedLine(),
            "uses it in " + site.function() + " (" + site.samples() + " execution samples)", id++);
      }
      // The library's own line that imports each unused part (the recorded path, also inside site-packages).
      for (UnusedPart part : parts) {
        if (part.libraryLine() != null) {
          LibraryLine line = part.libraryLine();
          location(json, base, line.file(), line.oneBasedLine(), 0, line.oneBasedLine(),
              "imports " + part.module() + " (" + Units.ms(part.costUs()) + ", never ran): " + part.chain(), id++);
        }
      }
      json.writeEndArray();
    }
    json.writeObjectFieldStart("properties");
    json.writeStringField("pattern", finding.rule().slug());
    json.writeFieldName("costMedianMs");
    json.writeNumber(Units.msNumber(finding.cost().costMedianUs()));
    json.writeFieldName("costP90Ms");
    json.writeNumber(Units.msNumber(finding.cost().costP90Us()));
    json.writeFieldName("savingMs");
    json.writeNumber(Units.msNumber(finding.savingUs()));
    JsonOutput.estimate(json, finding.estimate());
    json.writeStringField("savingFormula", finding.savingFormula());
    json.writeStringField("detail", finding.detail());
    json.writeArrayFieldStart("unusedParts");
    for (UnusedPart part : finding.cost().unusedParts()) {
      JsonOutput.unusedPart(json, part);
    }
    json.writeEndArray();
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void result(JsonGenerator json, CompileFinding compile, Path base) throws IOException {
    startResult(json, compile.rule(), compile.severity(), compile.message(), base, compile.file(),
        compile.oneBasedLine(), compile.oneBasedColumn(), compile.oneBasedLine());
    json.writeObjectFieldStart("properties");
    json.writeStringField("pattern", compile.rule().slug());
    json.writeFieldName("compileMs");
    json.writeNumber(Units.msNumber(compile.compileUs()));
    json.writeFieldName("savingMs");
    json.writeNumber(Units.msNumber(compile.savingUs()));
    json.writeStringField("detail", compile.detail());
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void location(JsonGenerator json, Path base, String file, int line, int column, int endLine,
      String message, int id) throws IOException {
    json.writeStartObject();
    if (id >= 0) {
      json.writeNumberField("id", id);
    }
    json.writeObjectFieldStart("physicalLocation");
    json.writeObjectFieldStart("artifactLocation");
    Path absolute = Path.of(file).toAbsolutePath().normalize();
    if (absolute.startsWith(base)) {
      json.writeStringField("uri", relativeUri(base.relativize(absolute).toString()));
      json.writeStringField("uriBaseId", SRCROOT);
    } else {
      json.writeStringField("uri", absolute.toUri().toString());
    }
    json.writeEndObject();
    json.writeObjectFieldStart("region");
    json.writeNumberField("startLine", line);
    if (column > 0) {
      json.writeNumberField("startColumn", column);
    }
    json.writeNumberField("endLine", Math.max(line, endLine));
    json.writeEndObject();
    json.writeEndObject();
    if (message != null) {
      json.writeObjectFieldStart("message");
      json.writeStringField("text", message);
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  /** A relative URI reference for a display path ({@code rules/a b.py} becomes {@code rules/a%20b.py}). */
  private static String relativeUri(String path) {
    try {
      return new URI(null, null, path.replace('\\', '/'), null).toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot express path as a URI: " + path, e);
    }
  }

  private static String level(Severity severity) {
    return switch (severity) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case INFO, HINT -> "note";
    };
  }
}
