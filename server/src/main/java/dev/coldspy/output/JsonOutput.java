package dev.coldspy.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.coldspy.engine.Analysis;
import dev.coldspy.engine.CompileCosts;
import dev.coldspy.engine.CompileFinding;
import dev.coldspy.engine.Estimate;
import dev.coldspy.engine.Finding;
import dev.coldspy.engine.FixedSinceProfiling;
import dev.coldspy.engine.HandlerSummary;
import dev.coldspy.engine.LibraryEntry;
import dev.coldspy.engine.LoadedModule;
import dev.coldspy.engine.PaidBy;
import dev.coldspy.engine.StatementCost;
import dev.coldspy.engine.Units;
import dev.coldspy.engine.UnusedPart;
import dev.coldspy.engine.UsageEvidence;
import dev.coldspy.engine.UseSite;
import dev.coldspy.profile.Distribution;
import dev.coldspy.rules.FixKind;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * The JSON form of an {@link Analysis} ({@code coldspy check --format json}; the report reads it too).
 * Fields are written in a fixed order and numbers rounded to fixed decimals, so equal analyses give
 * byte-identical text. Times are milliseconds ({@code ...Ms}) with three decimals.
 */
public final class JsonOutput {
  /** Version of this JSON shape; bumped when a field is removed or changes meaning. */
  public static final int FORMAT_VERSION = 1;

  private JsonOutput() {}

  /** The analyses of one run (one per application checked) as one JSON document. */
  public static String write(List<Analysis> analyses) {
    return write(analyses, null);
  }

  /**
   * Same, with each summary judged against an init-time budget ({@code budget-ms}): its summary gets
   * {@code "budget": {"ms", "medianInitMs", "exceeded"}}, so a JSON reader sees why {@code check} failed.
   *
   * @param budgetMs the budget in milliseconds, or null for none (no {@code budget} field)
   */
  public static String write(List<Analysis> analyses, Double budgetMs) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("format", "coldspy-check");
      json.writeNumberField("formatVersion", FORMAT_VERSION);
      json.writeArrayFieldStart("analyses");
      for (Analysis analysis : analyses) {
        analysis(json, analysis, budgetMs);
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out + "\n";
  }

  private static void analysis(JsonGenerator json, Analysis analysis, Double budgetMs) throws IOException {
    json.writeStartObject();
    summary(json, analysis.summary(), budgetMs);
    json.writeArrayFieldStart("findings");
    for (Finding finding : analysis.findings()) {
      finding(json, finding);
    }
    json.writeEndArray();
    json.writeArrayFieldStart("fixedSinceProfiling");
    for (FixedSinceProfiling fixed : analysis.fixedSinceProfiling()) {
      json.writeStartObject();
      json.writeStringField("file", fixed.file());
      json.writeNumberField("line", fixed.oneBasedLine());
      json.writeStringField("modules", fixed.subject());
      ms(json, "costMs", fixed.costUs());
      json.writeStringField("hint", FixedSinceProfiling.HINT);
      json.writeEndObject();
    }
    json.writeEndArray();
    if (analysis.compile() != null) {
      compile(json, analysis.compile());
    }
    json.writeArrayFieldStart("statements");
    for (StatementCost statement : analysis.statements()) {
      json.writeStartObject();
      statement(json, statement);
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void summary(JsonGenerator json, HandlerSummary summary, Double budgetMs) throws IOException {
    json.writeObjectFieldStart("summary");
    json.writeStringField("app", summary.app());
    json.writeStringField("handler", summary.handler());
    json.writeNumberField("profiles", summary.profiles());
    json.writeNumberField("coldStarts", summary.coldStarts());
    json.writeNumberField("invocations", summary.invocations());
    distribution(json, "initMs", summary.initUs());
    ms(json, "attributableMs", summary.attributableUs());
    ms(json, "savingMs", summary.savingUs());
    ms(json, "compileMs", summary.compileUs());
    estimate(json, summary.saving());
    if (budgetMs != null) {
      json.writeObjectFieldStart("budget");
      ms(json, "ms", budgetMs * 1000);
      ms(json, "medianInitMs", summary.initUs().median());
      json.writeBooleanField("exceeded", summary.exceedsBudget(budgetMs));
      json.writeEndObject();
    }
    json.writeArrayFieldStart("notes");
    for (String note : summary.notes()) {
      json.writeString(note);
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  /**
   * {@code "estimate": {"initMs", "firstInvocationMs", "coldStartMs"}}: init saved, first invocation added
   * (a positive number is time added), and the net saving of the cold start a user waits for.
   */
  static void estimate(JsonGenerator json, Estimate estimate) throws IOException {
    json.writeObjectFieldStart("estimate");
    ms(json, "initMs", estimate.initUs());
    ms(json, "firstInvocationMs", estimate.firstInvocationUs());
    ms(json, "coldStartMs", estimate.netUs());
    json.writeEndObject();
  }

  private static void finding(JsonGenerator json, Finding finding) throws IOException {
    json.writeStartObject();
    json.writeStringField("code", finding.rule().code());
    json.writeStringField("pattern", finding.rule().slug());
    json.writeStringField("severity", finding.severity().name().toLowerCase(Locale.ROOT));
    json.writeStringField("message", finding.message());
    json.writeStringField("detail", finding.detail());
    ms(json, "savingMs", finding.savingUs());
    estimate(json, finding.estimate());
    json.writeStringField("savingFormula", finding.savingFormula());
    json.writeBooleanField("confident", finding.confident());
    json.writeBooleanField("borderline", finding.borderline());
    statement(json, finding.cost());
    json.writeArrayFieldStart("useSites");
    for (UseSite site : finding.useSites()) {
      json.writeStartObject();
      json.writeStringField("file", site.file());
      json.writeNumberField("line", site.oneBasedLine());
      json.writeStringField("function", site.function());
      json.writeNumberField("samples", site.samples());
      json.writeEndObject();
    }
    json.writeEndArray();
    fixKinds(json, finding.fixes());
    if (!finding.together().isEmpty()) {
      // the lines whose fixes `coldspy fix` applies together, this one first
      json.writeArrayFieldStart("together");
      for (Finding.TogetherLine line : finding.together()) {
        json.writeStartObject();
        json.writeStringField("file", line.file());
        json.writeNumberField("line", line.oneBasedLine());
        fixKinds(json, line.fixes());
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    if (finding.knowledge() != null) {
      knowledge(json, finding.knowledge());
    }
    json.writeEndObject();
  }

  /** {@code "fixes": ["lazy-load", ...]} */
  private static void fixKinds(JsonGenerator json, List<FixKind> kinds) throws IOException {
    json.writeArrayFieldStart("fixes");
    for (FixKind fix : kinds) {
      json.writeString(fix.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    json.writeEndArray();
  }

  /** The compiled-from-source finding: {@code "compile": {code, ..., message, detail, file, line, column, packages, causes}}. */
  private static void compile(JsonGenerator json, CompileFinding compile) throws IOException {
    json.writeObjectFieldStart("compile");
    json.writeStringField("code", compile.rule().code());
    json.writeStringField("pattern", compile.rule().slug());
    json.writeStringField("severity", compile.severity().name().toLowerCase(Locale.ROOT));
    json.writeStringField("message", compile.message());
    json.writeStringField("detail", compile.detail());
    ms(json, "savingMs", compile.savingUs());
    ms(json, "compileMs", compile.compileUs());
    json.writeFieldName("initShare");
    json.writeNumber(BigDecimal.valueOf(compile.initShare()).setScale(3, RoundingMode.HALF_EVEN));
    json.writeNumberField("modules", compile.modules());
    json.writeNumberField("coldStarts", compile.coldStarts());
    json.writeStringField("file", compile.file());
    json.writeNumberField("line", compile.oneBasedLine());
    json.writeNumberField("column", compile.oneBasedColumn());
    json.writeArrayFieldStart("packages");
    for (CompileCosts.PackageCompile pkg : compile.packages()) {
      json.writeStartObject();
      json.writeStringField("name", pkg.name());
      ms(json, "compileMs", pkg.compileUs());
      json.writeNumberField("modules", pkg.modules());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("causes");
    for (CompileCosts.Cause cause : compile.causes()) {
      json.writeString(cause.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void knowledge(JsonGenerator json, LibraryEntry entry) throws IOException {
    json.writeObjectFieldStart("knowledge");
    json.writeStringField("module", entry.module());
    if (entry.importedBy() != null) {
      json.writeStringField("importedBy", entry.importedBy());
    }
    json.writeStringField("what", entry.what());
    json.writeStringField("advice", entry.advice());
    json.writeArrayFieldStart("sources");
    for (String source : entry.sources()) {
      json.writeString(source);
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void statement(JsonGenerator json, StatementCost statement) throws IOException {
    json.writeStringField("file", statement.file());
    json.writeNumberField("line", statement.oneBasedLine());
    json.writeNumberField("column", statement.oneBasedColumn());
    json.writeNumberField("endLine", statement.oneBasedEndLine());
    json.writeStringField("statement", statement.statement());
    json.writeObjectFieldStart("costMs");
    ms(json, "median", statement.costMedianUs());
    ms(json, "p90", statement.costP90Us());
    json.writeEndObject();
    if (statement.rssDeltaBytes() >= 0) {
      json.writeNumberField("rssDeltaBytes", Math.round(statement.rssDeltaBytes()));
    }
    usage(json, statement.usage());
    json.writeNumberField("moduleCount", statement.moduleCount());
    json.writeArrayFieldStart("heaviestModules");
    for (LoadedModule module : statement.heaviest()) {
      json.writeStartObject();
      json.writeStringField("name", module.name());
      ms(json, "selfMs", module.selfUs());
      ms(json, "cumulativeMs", module.cumulativeUs());
      if (module.rssDeltaBytes() >= 0) {
        json.writeNumberField("rssDeltaBytes", Math.round(module.rssDeltaBytes()));
      }
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("paidBy");
    for (PaidBy paid : statement.paidBy()) {
      json.writeStartObject();
      json.writeStringField("module", paid.module());
      json.writeStringField("file", paid.file());
      json.writeNumberField("line", paid.oneBasedLine());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeObjectFieldStart("usedAtInit");
    json.writeNumberField("coldStarts", statement.initUse().coldStarts());
    json.writeArrayFieldStart("callers");
    for (String caller : statement.initUse().callers()) {
      json.writeString(caller);
    }
    json.writeEndArray();
    json.writeBooleanField("only", statement.usedAtInitOnly());
    json.writeEndObject();
    json.writeArrayFieldStart("unusedParts");
    for (UnusedPart part : statement.unusedParts()) {
      unusedPart(json, part);
    }
    json.writeEndArray();
    if (statement.calls() != null) {
      json.writeStringField("calls", statement.calls());
    }
  }

  /** One unused part of a statement's import, also what SARIF's properties list. */
  public static void unusedPart(JsonGenerator json, UnusedPart part) throws IOException {
    json.writeStartObject();
    json.writeStringField("module", part.module());
    ms(json, "costMs", part.costUs());
    json.writeNumberField("moduleCount", part.moduleCount());
    json.writeStringField("chain", part.chain());
    json.writeArrayFieldStart("bringsIn");
    for (String library : part.bringsIn()) {
      json.writeString(library);
    }
    json.writeEndArray();
    json.writeBooleanField("reportable", part.reportable());
    ms(json, "savingMs", part.savingUs());
    json.writeArrayFieldStart("importedElsewhere");
    for (UnusedPart.ImportedElsewhere elsewhere : part.importedElsewhere()) {
      json.writeStartObject();
      json.writeStringField("module", elsewhere.module());
      json.writeStringField("importer", elsewhere.importer());
      ms(json, "costMs", elsewhere.costUs());
      json.writeEndObject();
    }
    json.writeEndArray();
    if (part.libraryLine() != null) {
      json.writeObjectFieldStart("libraryLine");
      json.writeStringField("file", part.libraryLine().file());
      json.writeNumberField("line", part.libraryLine().oneBasedLine());
      json.writeStringField("display", part.libraryLine().displayPath());
      json.writeEndObject();
    }
    if (part.knowledge() != null) {
      knowledge(json, part.knowledge());
    }
    json.writeEndObject();
  }

  private static void usage(JsonGenerator json, UsageEvidence usage) throws IOException {
    json.writeObjectFieldStart("usage");
    json.writeBooleanField("known", usage.known());
    json.writeBooleanField("exact", usage.exact());
    json.writeNumberField("coldStartsUsed", usage.coldStartsUsed());
    json.writeNumberField("coldStarts", usage.coldStarts());
    json.writeNumberField("invocationsUsed", usage.invocationsUsed());
    json.writeNumberField("invocationsObserved", usage.invocationsObserved());
    json.writeNumberField("samples", usage.samples());
    json.writeNumberField("totalSamples", usage.totalSamples());
    json.writeNumberField("sampleIntervalUs", usage.sampleIntervalUs());
    // What the density of samples is judged on: the cold starts without an exact signal, and apart from them
    // those whose exact signal could not tell about these modules.
    json.writeNumberField("coldStartsJudgedBySamples", usage.withoutExactSignal().coldStarts());
    json.writeNumberField("samplesJudged", usage.withoutExactSignal().executionSamples());
    json.writeNumberField("coldStartsUnseen", usage.unseen().coldStarts());
    json.writeNumberField("samplesUnseen", usage.unseen().executionSamples());
    json.writeEndObject();
  }

  private static void distribution(JsonGenerator json, String field, Distribution values) throws IOException {
    json.writeObjectFieldStart(field);
    ms(json, "median", values.median());
    ms(json, "p90", values.p90());
    ms(json, "min", values.min());
    ms(json, "max", values.max());
    json.writeEndObject();
  }

  private static void ms(JsonGenerator json, String field, double micros) throws IOException {
    json.writeFieldName(field);
    json.writeNumber(Units.msNumber(micros));
  }
}
