package dev.coldspy.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.coldspy.engine.Analysis;
import dev.coldspy.engine.AnalysisJson;
import dev.coldspy.profile.CallTree;
import dev.coldspy.profile.ColdStart;
import dev.coldspy.profile.Invocation;
import dev.coldspy.profile.ModuleImport;
import dev.coldspy.profile.ModuleStats;
import dev.coldspy.profile.Phase;
import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.profile.Trigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data the HTML report is drawn from, written as one JSON document: the engine's analysis (the ranked
 * statements, in the same shape as {@code check --format json}), every module of the merged profiles (the
 * import icicle, the package tree and the imports made at run time), the calling-context tree in its flat form
 * (the page expands it on demand, so a million samples stay usable), and the latency samples the CDF plots
 * need, for the profiles and, when given, for the "before" profiles of a comparison.
 *
 * <p>Deterministic: the same inputs write the same bytes (maps are sorted, numbers rounded to microseconds).
 */
public final class ReportData {
  private ReportData() {}

  /**
   * Writes the report data.
   *
   * @param analysis the engine's analysis of {@code profiles}
   * @param profiles the profiles the report shows
   * @param before the profiles before a fix, or null when there is no comparison
   * @param sourceRoot absolute directory the analysis' display paths are relative to, for file links
   */
  public static void write(Analysis analysis, ProfileSet profiles, ProfileSet before, String sourceRoot,
      Writer out) {
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("app", profiles.app().name());
      json.writeStringField("handler", profiles.app().handler());
      json.writeStringField("sourceRoot", sourceRoot);
      json.writeFieldName("analysis");
      json.writeRawValue(AnalysisJson.write(List.of(analysis)));
      modules(json, profiles);
      executionImports(json, profiles);
      callTree(json, profiles.callTree());
      json.writeFieldName("latency");
      latency(json, profiles);
      if (before != null) {
        json.writeFieldName("before");
        latency(json, before);
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every module: the import tree (parent), medians over the cold starts that imported it, and usage. */
  private static void modules(JsonGenerator json, ProfileSet profiles) throws IOException {
    json.writeArrayFieldStart("modules");
    for (ModuleStats module : profiles.modules().values()) {
      json.writeStartObject();
      json.writeStringField("name", module.name());
      json.writeStringField("parent", module.parent());
      json.writeStringField("file", module.file());
      json.writeNumberField("selfMs", ms(module.selfUs().median()));
      json.writeNumberField("cumulativeMs", ms(module.cumulativeUs().median()));
      if (!module.rssDeltaBytes().isEmpty()) {
        json.writeNumberField("rssBytes", Math.round(module.rssDeltaBytes().median()));
      }
      json.writeNumberField("imported", module.coldStartsImported());
      json.writeNumberField("importedAtInit", module.coldStartsImportedAtInit());
      json.writeBooleanField("usageKnown", module.usage().known());
      json.writeNumberField("usedIn", module.usage().coldStartsUsed());
      json.writeNumberField("samples", module.usage().executionSamples());
      json.writeNumberField("withEvidence", module.usage().coldStartsWithEvidence());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** Modules imported while a handler call ran (lazy imports), with the statement that made them. */
  private static void executionImports(JsonGenerator json, ProfileSet profiles) throws IOException {
    Map<String, List<ModuleImport>> byName = new TreeMap<>();
    for (Profile profile : profiles.profiles()) {
      for (ColdStart coldStart : profile.coldStarts()) {
        for (ModuleImport module : coldStart.modules()) {
          if (module.phase() == Phase.EXECUTION) {
            byName.computeIfAbsent(module.name(), name -> new ArrayList<>()).add(module);
          }
        }
      }
    }
    json.writeArrayFieldStart("executionImports");
    for (Map.Entry<String, List<ModuleImport>> entry : byName.entrySet()) {
      ModuleImport first = entry.getValue().get(0);
      long[] cumulative = entry.getValue().stream().mapToLong(ModuleImport::cumulativeUs).sorted().toArray();
      json.writeStartObject();
      json.writeStringField("name", entry.getKey());
      json.writeStringField("parent", first.parent());
      Trigger trigger = first.trigger();
      json.writeStringField("trigger", trigger == null ? null : trigger.file() + ":" + trigger.line());
      json.writeNumberField("coldStarts", cumulative.length);
      json.writeNumberField("cumulativeMs", ms(cumulative[cumulative.length / 2]));
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /**
   * The calling-context tree as {@code frames: [[file, function, line, module]]} and {@code nodes: [[parent,
   * frame, importInclusive, executionInclusive, importSelf, executionSelf]]}; the root is node 0.
   */
  private static void callTree(JsonGenerator json, CallTree tree) throws IOException {
    json.writeObjectFieldStart("callTree");
    json.writeArrayFieldStart("frames");
    for (int f = 0; f < tree.frameCount(); f++) {
      json.writeStartArray();
      json.writeString(tree.frameFile(f));
      json.writeString(tree.frameFunction(f));
      json.writeNumber(tree.frameLine(f));
      json.writeString(tree.frameModule(f));
      json.writeEndArray();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("nodes");
    for (int n = 0; n < tree.nodeCount(); n++) {
      json.writeStartArray();
      json.writeNumber(tree.parentOf(n));
      json.writeNumber(tree.frameOf(n));
      json.writeNumber(tree.importInclusive(n));
      json.writeNumber(tree.executionInclusive(n));
      json.writeNumber(tree.importSelf(n));
      json.writeNumber(tree.executionSelf(n));
      json.writeEndArray();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  /**
   * Latency samples for the CDF plots, each list sorted: init per cold start; execution per invocation;
   * end-to-end per cold start (init plus its first, cold, invocation — what the first caller waits for).
   */
  private static void latency(JsonGenerator json, ProfileSet profiles) throws IOException {
    List<Long> init = new ArrayList<>();
    List<Long> execution = new ArrayList<>();
    List<Long> endToEnd = new ArrayList<>();
    for (Profile profile : profiles.profiles()) {
      for (ColdStart coldStart : profile.coldStarts()) {
        init.add(coldStart.initUs());
        for (Invocation invocation : coldStart.invocations()) {
          execution.add(invocation.durationUs());
        }
        if (!coldStart.invocations().isEmpty()) {
          endToEnd.add(coldStart.initUs() + coldStart.invocations().get(0).durationUs());
        }
      }
    }
    json.writeStartObject();
    json.writeNumberField("profiles", profiles.profiles().size());
    series(json, "initMs", init);
    series(json, "executionMs", execution);
    series(json, "endToEndMs", endToEnd);
    json.writeEndObject();
  }

  private static void series(JsonGenerator json, String name, List<Long> micros) throws IOException {
    json.writeArrayFieldStart(name);
    for (long us : micros.stream().mapToLong(Long::longValue).sorted().toArray()) {
      json.writeNumber(ms(us));
    }
    json.writeEndArray();
  }

  /** Milliseconds rounded to whole microseconds, so output is stable across platforms. */
  private static double ms(double micros) {
    return Math.round(micros) / 1000.0;
  }
}
