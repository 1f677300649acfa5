package dev.coldspy.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.coldspy.engine.Analysis;
import dev.coldspy.engine.CodePaths;
import dev.coldspy.engine.CompileCosts;
import dev.coldspy.engine.ImportTree;
import dev.coldspy.engine.LibraryLine;
import dev.coldspy.engine.LoadedModule;
import dev.coldspy.engine.StatementCost;
import dev.coldspy.output.JsonOutput;
import dev.coldspy.profile.CallTree;
import dev.coldspy.profile.ColdStart;
import dev.coldspy.profile.Invocation;
import dev.coldspy.profile.ModuleImport;
import dev.coldspy.profile.ModuleStats;
import dev.coldspy.profile.PathMapper;
import dev.coldspy.profile.Phase;
import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.profile.Trigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * The data the HTML report is drawn from, written as one JSON document: the engine's analysis (the ranked
 * statements, in the same shape as {@code check --format json}), every module of the merged profiles with the
 * statement that loaded it (the module rows of the ranked table and the import icicle), each statement's import
 * tree with what its sub-trees cost and whether their code ran (what lies below the line), the module tree
 * grouped by package prefix with summed times, the imports made at run time, the calling-context tree in its flat form
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
      json.writeRawValue(JsonOutput.write(List.of(analysis)));
      modules(json, profiles, statementOfModule(analysis), analysis.compileCosts());
      importTrees(json, analysis, profiles.app().root());
      packages(json, profiles);
      executionImports(json, profiles, analysis);
      callTree(json, profiles.callTree(), profiles.app().root());
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

  /**
   * Which statement loaded each module first, as an index into {@link Analysis#statements()}. A module that
   * different statements loaded in different cold starts goes to the first of them in file and line order.
   */
  static Map<String, Integer> statementOfModule(Analysis analysis) {
    Map<String, Integer> owner = new HashMap<>();
    List<StatementCost> statements = analysis.statements();
    for (int i = 0; i < statements.size(); i++) {
      for (LoadedModule module : statements.get(i).loaded()) {
        owner.putIfAbsent(module.name(), i);
      }
    }
    return owner;
  }

  /**
   * Every module: the import tree (parent), the statement that loaded it ({@code statement}, an index into the
   * analysis' statements, absent when no statement of the given files did), medians over the cold starts that
   * imported it, and usage; where the profiles record bytecode (the standard library aside), {@code compileMs}
   * (median compile time over the cold starts that imported it at init, 0 when read from cache),
   * {@code compiledIn} (cold starts that compiled it) and {@code compileCause} (the agent's most frequent cause).
   */
  private static void modules(JsonGenerator json, ProfileSet profiles, Map<String, Integer> statementOf,
      CompileCosts compileCosts) throws IOException {
    json.writeArrayFieldStart("modules");
    for (ModuleStats module : profiles.modules().values()) {
      json.writeStartObject();
      json.writeStringField("name", module.name());
      json.writeStringField("parent", module.parent());
      json.writeStringField("file", module.file());
      Integer statement = statementOf.get(module.name());
      if (statement != null) {
        json.writeNumberField("statement", statement);
      }
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
      CompileCosts.ModuleCompile compile = compileCosts.modules().get(module.name());
      if (compile != null) {
        json.writeNumberField("compileMs", ms(compile.compileUs()));
        json.writeNumberField("compiledIn", compile.compiledIn());
        if (compile.cause() != null) {
          json.writeStringField("compileCause", compile.cause());
        }
      }
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /**
   * Per statement, in the order of the analysis' statements, the modules it loaded first as the import system
   * nested them ({@link ImportTree}), parents before children and children heaviest first: {@code importTrees:
   * {files: [{file, display}], statements: [[{module, parent, costMs, modules, loadedIn, ranInCalls, ranAtInit,
   * ran, observable, importedAt}]]}}. {@code parent} indexes the same list (-1 for a root); {@code costMs} is
   * the sub-tree's median cumulative cost, {@code modules} its module count; {@code loadedIn}, {@code
   * ranInCalls}, {@code ranAtInit} and {@code ran} count cold starts (loaded by the statement; code of the
   * sub-tree ran in a handler call; ran during init called from outside it; either); {@code observable} is
   * false for compiled code whose running no profile sees; {@code importedAt} ({@code [file index, line]}) is
   * the library's line that imported a module below a root, its file recorded once in {@code files} (absolute
   * path on the profiling machine, and as messages name it). Nothing is written below a sub-tree whose code
   * never ran: it is deferred or kept as a whole, so its root is the row that matters, and the page stays small.
   */
  private static void importTrees(JsonGenerator json, Analysis analysis, String appRoot) throws IOException {
    Map<String, Integer> fileIndex = new HashMap<>();
    List<LibraryLine> files = new ArrayList<>();
    StringWriter statements = new StringWriter();
    // The statements' nodes first, so that the file table, written before them, holds every file they name.
    try (JsonGenerator nodes = new JsonFactory().createGenerator(statements)) {
      nodes.writeStartArray();
      for (StatementCost statement : analysis.statements()) {
        nodes.writeStartArray();
        int[] next = {0};
        for (ImportTree.Node root : statement.tree().roots()) {
          importTreeNode(nodes, root, -1, next, line -> fileIndex.computeIfAbsent(line.file(), file -> {
            files.add(line);
            return files.size() - 1;
          }), appRoot);
        }
        nodes.writeEndArray();
      }
      nodes.writeEndArray();
    }
    json.writeObjectFieldStart("importTrees");
    json.writeArrayFieldStart("files");
    for (LibraryLine file : files) {
      json.writeStartObject();
      json.writeStringField("file", file.file());
      json.writeStringField("display", file.displayPath());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeFieldName("statements");
    json.writeRawValue(statements.toString());
    json.writeEndObject();
  }

  private static void importTreeNode(JsonGenerator json, ImportTree.Node node, int parent, int[] next,
      ToIntFunction<LibraryLine> fileIndex, String appRoot) throws IOException {
    int index = next[0]++;
    json.writeStartObject();
    json.writeStringField("module", node.module());
    json.writeNumberField("parent", parent);
    json.writeNumberField("costMs", ms(node.costUs()));
    json.writeNumberField("modules", node.moduleCount());
    json.writeNumberField("loadedIn", node.coldStartsLoaded());
    json.writeNumberField("ranInCalls", node.coldStartsRunInCalls());
    json.writeNumberField("ranAtInit", node.coldStartsRunAtInit());
    json.writeNumberField("ran", node.coldStartsRun());
    json.writeBooleanField("observable", node.observable());
    if (parent >= 0 && node.trigger() != null) {
      LibraryLine line = LibraryLine.of(node.trigger(), appRoot);
      json.writeArrayFieldStart("importedAt");
      json.writeNumber(fileIndex.applyAsInt(line));
      json.writeNumber(line.oneBasedLine());
      json.writeEndArray();
    }
    json.writeEndObject();
    if (node.ran()) {
      for (ImportTree.Node child : node.children()) {
        importTreeNode(json, child, index, next, fileIndex, appRoot);
      }
    }
  }

  /** A node of the module tree grouped by package prefix: sums over the modules at or below it. */
  private static final class PackageNode {
    final String name;
    final Map<String, PackageNode> children = new TreeMap<>();
    double selfUs;
    double cumulativeUs;
    long samples;
    boolean isModule;

    PackageNode(String name) {
      this.name = name;
    }
  }

  /**
   * The module tree grouped by package prefix ({@code a}, {@code a.b}, {@code a.b.c}), each node with the
   * summed median self time and execution samples of the modules at or below it, and the cumulative time of
   * the node's own module (a package's cumulative time already holds its submodules it imported). Written
   * parents first as {@code packages: [{name, parent, selfMs, cumulativeMs, samples, module}]} (parent: index,
   * -1 for a top-level name; module: whether a module of that name was imported, rather than only its
   * submodules), children heaviest first.
   */
  private static void packages(JsonGenerator json, ProfileSet profiles) throws IOException {
    PackageNode root = new PackageNode("");
    for (ModuleStats module : profiles.modules().values()) {
      PackageNode node = root;
      int dot = -1;
      do {
        dot = module.name().indexOf('.', dot + 1);
        String prefix = dot < 0 ? module.name() : module.name().substring(0, dot);
        node = node.children.computeIfAbsent(prefix, PackageNode::new);
        node.selfUs += module.selfUs().median();
        node.samples += module.usage().executionSamples();
      } while (dot >= 0);
      node.isModule = true;
      node.cumulativeUs = module.cumulativeUs().median();
    }
    json.writeArrayFieldStart("packages");
    writePackages(json, root, -1, new int[] {0});
    json.writeEndArray();
  }

  private static void writePackages(JsonGenerator json, PackageNode parent, int parentIndex, int[] next)
      throws IOException {
    List<PackageNode> children = new ArrayList<>(parent.children.values());
    children.sort(Comparator.comparingDouble((PackageNode n) -> -n.selfUs).thenComparing(n -> n.name));
    for (PackageNode node : children) {
      int index = next[0]++;
      json.writeStartObject();
      json.writeStringField("name", node.name);
      json.writeNumberField("parent", parentIndex);
      json.writeNumberField("selfMs", ms(node.selfUs));
      json.writeNumberField("cumulativeMs", ms(node.cumulativeUs));
      json.writeNumberField("samples", node.samples);
      json.writeBooleanField("module", node.isModule);
      json.writeEndObject();
      writePackages(json, node, index, next);
    }
  }

  /**
   * Modules imported while a handler call ran (lazy imports), with the statement that made them: as an
   * application file and line when the recorded path is one of the analysed files (so the page can link it),
   * else the recorded {@code path:line}.
   */
  private static void executionImports(JsonGenerator json, ProfileSet profiles, Analysis analysis)
      throws IOException {
    Set<String> appFiles = new TreeSet<>();
    analysis.statements().forEach(statement -> appFiles.add(statement.file()));
    PathMapper<String> appPaths = new PathMapper<>(profiles.app().root(), appFiles, Path::of, null);
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
      if (trigger != null) {
        Optional<String> appFile = appPaths.toWorkspace(trigger.file());
        if (appFile.isPresent()) {
          json.writeStringField("triggerFile", appFile.get());
          json.writeNumberField("triggerLine", trigger.line());
        } else {
          json.writeStringField("trigger", trigger.file() + ":" + trigger.line());
        }
      }
      json.writeNumberField("coldStarts", cumulative.length);
      json.writeNumberField("cumulativeMs", ms(cumulative[cumulative.length / 2]));
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /**
   * The calling-context tree as {@code frames: [[file, function, line, module]]} (file as messages name it: below
   * site-packages or the standard library's folder, else below the app's root, so that a frame reads {@code
   * heartpy/heartpy.py:312} rather than the profiling machine's absolute path) and {@code nodes: [[parent,
   * frame, importInclusive, executionInclusive, importSelf, executionSelf]]}; the root is node 0.
   */
  private static void callTree(JsonGenerator json, CallTree tree, String appRoot) throws IOException {
    json.writeObjectFieldStart("callTree");
    json.writeArrayFieldStart("frames");
    for (int f = 0; f < tree.frameCount(); f++) {
      json.writeStartArray();
      String file = tree.frameFile(f);
      json.writeString(file == null ? null : CodePaths.display(file, appRoot));
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
