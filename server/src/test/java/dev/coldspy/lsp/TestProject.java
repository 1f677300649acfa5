package dev.coldspy.lsp;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/**
 * A profiled project on disk for service tests: Python files from snippets and a schema-1 JSON profile in
 * {@code .coldspy/profiles/}, built with a few words per module. Analyses go through the real pipeline
 * (profile reader, import index, engine).
 *
 * <pre>
 * project.file("handler.py", "import pandas\n...")
 *     .module("pandas", 800, "handler.py", 1).usedIn("pandas", 3)
 *     .useSite("handler.py", "handler", 8, "pandas", 57);
 * </pre>
 */
final class TestProject {
  static final int COLD_STARTS = 40;
  private static final Gson GSON = new GsonBuilder().serializeNulls().create();

  private final Path root;
  private final List<Map<String, Object>> modules = new ArrayList<>();
  private final Map<String, Integer> usedInColdStarts = new TreeMap<>();
  private final List<Object[]> useSites = new ArrayList<>();
  private final List<String> files = new ArrayList<>();
  private String handler = "handler.py:handler";
  /** Whether the modules were compiled from source in every cold start (the agent's bytecode records). */
  private boolean compiledFromSource;
  private boolean withProfile = true;

  TestProject(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** Writes a Python file (relative to the project root); a {@code |} marks nothing here, it is kept. */
  TestProject file(String relative, String source) {
    try {
      Path file = root.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, source);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestProject handler(String value) {
    handler = value;
    return this;
  }

  TestProject withoutProfile() {
    withProfile = false;
    return this;
  }

  /** A top-level module imported at init by the statement at {@code file:line}, costing {@code ms}. */
  TestProject module(String name, double ms, String file, int line) {
    return module(name, null, ms, file, line);
  }

  /** A module imported by another module's import (no trigger in the application). */
  TestProject submodule(String name, String parent, double ms) {
    return module(name, parent, ms, null, 0);
  }

  /**
   * A library's module at a recorded path ({@code /var/lang/.../site-packages/igraph/drawing/__init__.py}),
   * imported by {@code parent}'s import from the recorded {@code triggerFile:line} (the library's own line).
   */
  TestProject libraryModule(String name, String parent, double ms, String recordedFile, String triggerFile,
      int line) {
    module(name, parent, ms, null, 0);
    Map<String, Object> module = modules.get(modules.size() - 1);
    module.put("file", recordedIndex(recordedFile));
    module.put("trigger", Map.of("file", recordedIndex(triggerFile), "line", line));
    return this;
  }

  /**
   * The last module added was imported by a call that the app's module-level statement at {@code file:line}
   * made (the agent's {@code statement} record; its trigger stays the library's line).
   */
  TestProject importedByCallAt(String file, int line) {
    modules.get(modules.size() - 1).put("statement",
        Map.of("file", fileIndex(file), "line", line, "chain", List.of(), "omittedFrames", 0));
    return this;
  }

  private TestProject module(String name, String parent, double ms, String file, int line) {
    Map<String, Object> module = new LinkedHashMap<>();
    long us = Math.round(ms * 1000);
    module.put("name", name);
    module.put("parent", parent);
    module.put("file", null);
    module.put("selfUs", us);
    module.put("cumulativeUs", us);
    module.put("phase", "init");
    module.put("trigger", file == null ? null : Map.of("file", fileIndex(file), "line", line));
    module.put("rssDeltaBytes", us * 100);
    modules.add(module);
    if (parent != null) {
      for (Map<String, Object> other : modules) {
        if (other.get("name").equals(parent)) {
          other.put("cumulativeUs", (long) other.get("cumulativeUs") + us);
        }
      }
    }
    return this;
  }

  /**
   * Every module so far was compiled from source in every cold start, taking a tenth of its own import time, by
   * an interpreter that does not write bytecode (CS107).
   */
  TestProject compiledFromSource() {
    compiledFromSource = true;
    for (Map<String, Object> module : modules) {
      module.put("bytecode", Map.of("from", "source", "compileUs", (long) module.get("selfUs") / 10, "cause", "none",
          "cacheWritten", false));
    }
    return this;
  }

  /** The module's code ran in the first {@code coldStarts} cold starts (exact usage signal). */
  TestProject usedIn(String module, int coldStarts) {
    usedInColdStarts.put(module, coldStarts);
    return this;
  }

  /** Execution-phase samples in {@code module}'s code, called from {@code function} at {@code file:line}. */
  TestProject useSite(String file, String function, int line, String module, int samples) {
    useSites.add(new Object[] {file, function, line, module, samples});
    return this;
  }

  private int fileIndex(String relative) {
    return recordedIndex("/var/task/" + relative);
  }

  private int recordedIndex(String recorded) {
    if (!files.contains(recorded)) {
      files.add(recorded);
    }
    return files.indexOf(recorded);
  }

  /** Writes the profile and loads the project as the server would. */
  WorkspaceSetup load() {
    if (withProfile) {
      writeProfile();
    }
    return WorkspaceSetup.load(List.of(root), null);
  }

  /** The analysis of one file as the server computes it for an open document. */
  DocumentAnalysis analyse(String relative) {
    return analyse(relative, load());
  }

  DocumentAnalysis analyse(String relative, WorkspaceSetup context) {
    try {
      Path file = root.resolve(relative).toAbsolutePath().normalize();
      TextDocument document =
          new TextDocument(TextDocument.uriOf(file), "python", Files.readString(file), 1);
      WorkspaceSnapshot snapshot = WorkspaceSnapshot.EMPTY.withSetup(context).withDocument(document);
      return new Analyzer(new ServerLog(System.err)).analyse(document, snapshot, NEVER_CANCELLED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final CancelChecker NEVER_CANCELLED = () -> {};

  /** The LSP position of the first {@code marker} in a file. */
  Position positionOf(String relative, String marker) {
    try {
      String text = Files.readString(root.resolve(relative));
      int offset = text.indexOf(marker);
      if (offset < 0) {
        throw new AssertionError(marker + " is not in " + relative);
      }
      String before = text.substring(0, offset);
      int line = (int) before.chars().filter(c -> c == '\n').count();
      return new Position(line, offset - (before.lastIndexOf('\n') + 1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeProfile() {
    Map<String, Object> callTree = callTree();
    long executionSamples = useSites.stream().mapToLong(site -> (int) site[4]).sum();
    List<Object> coldStarts = new ArrayList<>();
    for (int i = 0; i < COLD_STARTS; i++) {
      Map<String, Object> usage = new TreeMap<>();
      List<String> executed = new ArrayList<>();
      for (Map.Entry<String, Integer> used : usedInColdStarts.entrySet()) {
        boolean ran = i < used.getValue();
        usage.put(used.getKey(), Map.of("samples", 0, "executed", ran));
        if (ran) {
          executed.add(used.getKey());
        }
      }
      Map<String, Object> invocation = new LinkedHashMap<>();
      invocation.put("index", 0);
      invocation.put("event", "event.json");
      invocation.put("durationUs", 10_000);
      invocation.put("peakRssBytes", null);
      invocation.put("outcome", "return");
      invocation.put("exceptionType", null);
      invocation.put("modulesExecuted", executed);
      invocation.put("samples", executionSamples / COLD_STARTS);
      Map<String, Object> coldStart = new LinkedHashMap<>();
      coldStart.put("index", i);
      coldStart.put("initUs", modules.stream().filter(m -> m.get("parent") == null)
          .mapToLong(m -> (long) m.get("cumulativeUs")).sum() + 5_000);
      coldStart.put("initPeakRssBytes", null);
      coldStart.put("samples", Map.of("import", 0, "execution", executionSamples / COLD_STARTS));
      coldStart.put("modules", modules);
      coldStart.put("invocations", List.of(invocation));
      coldStart.put("moduleUsage", usage);
      coldStarts.add(coldStart);
    }
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("format", "coldspy-profile");
    profile.put("schemaVersion", 1);
    profile.put("agent", Map.of("name", "coldspy", "version", "test"));
    profile.put("app", Map.of("handler", handler, "root", "/var/task", "name", "app"));
    Map<String, Object> environment = new LinkedHashMap<>();
    environment.put("pythonVersion", "3.11.7");
    environment.put("implementation", "CPython");
    environment.put("platform", "Linux");
    environment.put("machine", "x86_64");
    environment.put("lambda", false);
    environment.put("memoryLimitMb", null);
    if (compiledFromSource) {
      environment.put("cacheTag", "cpython-311");
      environment.put("dontWriteBytecode", true);
    }
    profile.put("environment", environment);
    profile.put("settings", Map.of("sampleIntervalUs", 1000, "clock", "wall", "usageSignal", "sys.monitoring",
        "memoryMethod", "rss", "coldStarts", COLD_STARTS));
    profile.put("files", files);
    profile.put("coldStarts", coldStarts);
    profile.put("callTree", callTree);
    profile.put("errors", List.of());
    try {
      Path directory = root.resolve(dev.coldspy.project.Project.PROFILES_DIRECTORY);
      Files.createDirectories(directory);
      Files.writeString(directory.resolve("app.json"), GSON.toJson(profile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Root → application frame (function at line) → module frame, execution samples at the leaf. */
  private Map<String, Object> callTree() {
    List<Object> frames = new ArrayList<>();
    List<Object> nodes = new ArrayList<>();
    nodes.add(List.of(-1, -1, 0, 0));
    for (Object[] site : useSites) {
      String file = (String) site[0];
      frames.add(java.util.Arrays.asList(fileIndex(file), site[1], site[2], file.replace(".py", "").replace('/', '.')));
      nodes.add(List.of(0, frames.size() - 1, 0, 0));
      int caller = nodes.size() - 1;
      String module = (String) site[3];
      frames.add(java.util.Arrays.asList(
          recordedIndex("/opt/python/site-packages/" + module.replace('.', '/') + "/__init__.py"), "run", 1, module));
      nodes.add(List.of(caller, frames.size() - 1, 0, site[4]));
    }
    return Map.of("frames", frames, "nodes", nodes);
  }
}
