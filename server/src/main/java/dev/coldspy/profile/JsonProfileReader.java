package dev.coldspy.profile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.coldspy.profile.JsonCursor.RequiredFields;
import dev.coldspy.profile.JsonCursor.ShapeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads our JSON profile format ({@code docs/profile-format.md}) with Jackson's streaming parser: no tree
 * model, the call tree straight into primitive arrays. Fields may come in any order; indexes into the
 * {@code files} table are resolved once the whole document is read. Unknown fields are ignored.
 */
final class JsonProfileReader {
  /** The schema version this reader understands. */
  static final int SUPPORTED_VERSION = 1;
  static final String FORMAT = "coldspy-profile";

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(ReadLimits.MAX_JSON_DEPTH)
          .maxStringLength(ReadLimits.MAX_JSON_STRING_CHARS)
          .maxNameLength(ReadLimits.MAX_JSON_STRING_CHARS)
          .maxNumberLength(ReadLimits.MAX_TEXT_NUMBER_CHARS)
          .build())
      .build();

  private static final RequiredFields DOCUMENT_FIELDS =
      new RequiredFields("format", "schemaVersion", "app", "settings", "files", "coldStarts", "callTree");
  private static final RequiredFields CALL_TREE_FIELDS = new RequiredFields("frames", "nodes");
  private static final RequiredFields APP_FIELDS = new RequiredFields("handler", "root", "name");
  private static final RequiredFields SETTINGS_FIELDS = new RequiredFields("usageSignal");
  private static final RequiredFields ERROR_FIELDS = new RequiredFields("message");
  private static final RequiredFields COLD_START_FIELDS =
      new RequiredFields("index", "initUs", "samples", "modules", "invocations", "moduleUsage");
  private static final RequiredFields SAMPLES_FIELDS = new RequiredFields("import", "execution");
  private static final RequiredFields MODULE_FIELDS = new RequiredFields("name", "selfUs", "cumulativeUs", "phase");
  private static final RequiredFields TRIGGER_FIELDS = new RequiredFields("file", "line");
  private static final RequiredFields BYTECODE_FIELDS = new RequiredFields("from");
  private static final RequiredFields INVOCATION_FIELDS =
      new RequiredFields("index", "event", "durationUs", "outcome", "modulesExecuted", "samples");
  private static final RequiredFields MODULE_USAGE_FIELDS = new RequiredFields("samples", "executed");
  private static final RequiredFields STATEMENT_FIELDS = new RequiredFields("file", "line");
  private static final RequiredFields CALL_FIELDS = new RequiredFields("file", "line", "function");

  private record RawTrigger(int file, int line) {}

  private record RawModule(String name, String parent, Integer file, long selfUs, long cumulativeUs,
      Phase phase, RawTrigger trigger, Long rssDeltaBytes, RawStatement statement, Bytecode bytecode, long fullGcUs,
      long fullGcCumulativeUs) {}

  private record RawCall(int file, int line, String function) {}

  private record RawStatement(int file, int line, List<RawCall> calls, int omittedFrames) {}

  private record RawColdStart(int index, long initUs, Long initPeakRssBytes, int importSamples,
      int executionSamples, List<RawModule> modules, List<Invocation> invocations,
      Map<String, ModuleUsage> moduleUsage) {}

  private final Path path;
  private final JsonCursor json;

  private App app;
  private Environment environment;
  private ProfilerSettings settings;
  private String startedAt;
  private List<String> files;
  private List<RawColdStart> coldStarts;
  private List<AgentError> errors = List.of();

  // Call tree columns, filled while parsing.
  private int[] frameFileIndex = new int[0];
  private String[] frameFunction = new String[0];
  private int[] frameLine = new int[0];
  private String[] frameModule = new String[0];
  private int frameCount;
  private int[] nodeParent = new int[0];
  private int[] nodeFrame = new int[0];
  private int[] nodeImport = new int[0];
  private int[] nodeExecution = new int[0];
  private int nodeCount;

  private JsonProfileReader(Path path, JsonCursor json) {
    this.path = path;
    this.json = json;
  }

  static Profile read(Path path, InputStream in) throws ProfileFormatException, IOException {
    try (JsonParser parser = FACTORY.createParser(in)) {
      JsonProfileReader reader = new JsonProfileReader(path, new JsonCursor(parser));
      return reader.readDocument();
    } catch (JsonEOFException e) {
      throw new ProfileFormatException(path, "truncated JSON: the input ends inside the document (line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
    } catch (StreamReadException e) {
      throw new ProfileFormatException(path, "invalid JSON at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ": " + firstLine(e.getOriginalMessage()), e);
    } catch (StreamConstraintsException e) {
      throw new ProfileFormatException(path, "beyond the JSON reader's limits: " + firstLine(e.getOriginalMessage()),
          e);
    } catch (ShapeException e) {
      throw new ProfileFormatException(path, e.getMessage(), e);
    }
  }

  private Profile readDocument() throws IOException, ShapeException {
    if (json.next() == null) {
      throw new ShapeException("empty file, expected a JSON profile");
    }
    if (json.current() != JsonToken.START_OBJECT) {
      throw json.wrongType("a JSON object (a ColdSpy profile)");
    }
    json.readObject(DOCUMENT_FIELDS,
        this::readTopLevelField);
    if (json.next() != null) {
      throw new ShapeException("unexpected content after the end of the profile");
    }
    return resolve();
  }

  private void readTopLevelField(String name) throws IOException, ShapeException {
    switch (name) {
      case "format" -> {
        String format = json.readString();
        if (!FORMAT.equals(format)) {
          throw new ShapeException("not a ColdSpy profile: format is '" + format + "', expected '" + FORMAT + "'");
        }
      }
      case "schemaVersion" -> {
        long version = json.readLong();
        if (version != SUPPORTED_VERSION) {
          throw new ShapeException("schema version " + version + " is not supported (this ColdSpy reads version "
              + SUPPORTED_VERSION + ")");
        }
      }
      case "app" -> app = readApp();
      case "environment" -> environment = readEnvironment();
      case "settings" -> settings = readSettings();
      case "startedAt" -> startedAt = json.readNullableString();
      case "files" -> {
        List<String> table = new ArrayList<>();
        json.readArray(i -> table.add(intern(json.readString())));
        files = table;
      }
      case "coldStarts" -> {
        List<RawColdStart> list = new ArrayList<>();
        json.readArray(i -> list.add(readColdStart()));
        coldStarts = list;
      }
      case "callTree" -> json.readObject(CALL_TREE_FIELDS, this::readCallTreeField);
      case "errors" -> {
        List<AgentError> list = new ArrayList<>();
        json.readArray(i -> list.add(readError()));
        errors = list;
      }
      default -> json.skip();
    }
  }

  private App readApp() throws IOException, ShapeException {
    String[] fields = new String[3];
    json.readObject(APP_FIELDS, name -> {
      switch (name) {
        case "handler" -> fields[0] = json.readString();
        case "root" -> fields[1] = json.readString();
        case "name" -> fields[2] = json.readString();
        default -> json.skip();
      }
    });
    if (fields[2].isEmpty()) {
      throw new ShapeException("empty app name at $.app.name");
    }
    return new App(fields[2], fields[0], fields[1]);
  }

  private Environment readEnvironment() throws IOException, ShapeException {
    String[] strings = new String[7];
    boolean[] lambda = new boolean[1];
    Integer[] memory = new Integer[1];
    Boolean[] dontWriteBytecode = new Boolean[1];
    json.readObject(RequiredFields.NONE, name -> {
      switch (name) {
        case "pythonVersion" -> strings[0] = json.readString();
        case "implementation" -> strings[1] = json.readString();
        case "platform" -> strings[2] = json.readString();
        case "machine" -> strings[3] = json.readString();
        case "lambda" -> lambda[0] = json.readBoolean();
        case "memoryLimitMb" -> memory[0] = json.readNullableInt(0);
        case "cacheTag" -> strings[4] = json.readNullableString();
        case "dontWriteBytecode" -> dontWriteBytecode[0] = json.readBoolean();
        case "pycachePrefix" -> strings[5] = json.readNullableString();
        case "initializationType" -> strings[6] = json.readString();
        default -> json.skip();
      }
    });
    return new Environment(strings[0], strings[1], strings[2], strings[3], lambda[0], memory[0], strings[4],
        dontWriteBytecode[0], strings[5], strings[6]);
  }

  private ProfilerSettings readSettings() throws IOException, ShapeException {
    Long[] interval = new Long[1];
    String[] strings = new String[2];
    UsageSignal[] signal = new UsageSignal[1];
    int[] coldStartsRequested = new int[1];
    json.readObject(SETTINGS_FIELDS, name -> {
      switch (name) {
        case "sampleIntervalUs" -> interval[0] = json.readTime();
        case "clock" -> strings[0] = json.readString();
        case "memoryMethod" -> strings[1] = json.readString();
        case "coldStarts" -> coldStartsRequested[0] = json.readInt(0);
        case "usageSignal" -> {
          String value = json.readString();
          signal[0] = UsageSignal.fromJson(value);
          if (signal[0] == null) {
            throw json.invalid("unknown usage signal '" + value + "'");
          }
        }
        default -> json.skip();
      }
    });
    return new ProfilerSettings(interval[0], strings[0], signal[0], strings[1] == null ? "none" : strings[1],
        coldStartsRequested[0]);
  }

  private AgentError readError() throws IOException, ShapeException {
    Integer[] coldStart = new Integer[1];
    String[] message = new String[1];
    json.readObject(ERROR_FIELDS, name -> {
      switch (name) {
        case "coldStart" -> coldStart[0] = json.readNullableInt(0);
        case "message" -> message[0] = json.readString();
        default -> json.skip();
      }
    });
    return new AgentError(coldStart[0], message[0]);
  }

  private RawColdStart readColdStart() throws IOException, ShapeException {
    long[] numbers = new long[4]; // index, initUs, importSamples, executionSamples
    Long[] initRss = new Long[1];
    List<RawModule> modules = new ArrayList<>();
    List<Invocation> invocations = new ArrayList<>();
    Map<String, ModuleUsage> usage = new TreeMap<>();
    json.readObject(COLD_START_FIELDS, name -> {
      switch (name) {
        case "index" -> numbers[0] = json.readInt(0);
        case "initUs" -> numbers[1] = json.readTime();
        case "initPeakRssBytes" -> initRss[0] = json.readNullableMemory();
        case "samples" -> json.readObject(SAMPLES_FIELDS, phase -> {
          switch (phase) {
            case "import" -> numbers[2] = json.readInt(0);
            case "execution" -> numbers[3] = json.readInt(0);
            default -> json.skip();
          }
        });
        case "modules" -> json.readArray(i -> modules.add(readModule()));
        case "invocations" -> json.readArray(i -> invocations.add(readInvocation()));
        case "moduleUsage" ->
            json.readObject(RequiredFields.NONE, module -> usage.put(intern(module), readModuleUsage()));
        default -> json.skip();
      }
    });
    return new RawColdStart((int) numbers[0], numbers[1], initRss[0], (int) numbers[2], (int) numbers[3],
        modules, invocations, usage);
  }

  private RawModule readModule() throws IOException, ShapeException {
    String[] names = new String[2];
    Integer[] file = new Integer[1];
    long[] times = new long[4]; // selfUs, cumulativeUs, fullGcUs, fullGcCumulativeUs
    Phase[] phase = {Phase.INIT};
    RawTrigger[] trigger = new RawTrigger[1];
    Long[] rss = new Long[1];
    RawStatement[] statement = new RawStatement[1];
    Bytecode[] bytecode = new Bytecode[1];
    json.readObject(MODULE_FIELDS, name -> {
      switch (name) {
        case "name" -> names[0] = intern(json.readString());
        case "parent" -> names[1] = intern(json.readNullableString());
        case "file" -> file[0] = json.readNullableInt(0);
        case "selfUs" -> times[0] = json.readTime();
        case "cumulativeUs" -> times[1] = json.readTime();
        case "phase" -> {
          String value = json.readString();
          phase[0] = switch (value) {
            case "init" -> Phase.INIT;
            case "execution" -> Phase.EXECUTION;
            default -> throw json.invalid("unknown phase '" + value + "'");
          };
        }
        case "trigger" -> trigger[0] = readTrigger();
        case "rssDeltaBytes" -> rss[0] = json.readNullableMemory();
        case "statement" -> statement[0] = readStatement();
        case "bytecode" -> bytecode[0] = readBytecode();
        case "fullGcUs" -> times[2] = json.readTime();
        case "fullGcCumulativeUs" -> times[3] = json.readTime();
        default -> json.skip();
      }
    });
    return new RawModule(names[0], names[1], file[0], times[0], times[1], phase[0], trigger[0], rss[0],
        statement[0], bytecode[0], times[2], times[3]);
  }

  private RawStatement readStatement() throws IOException, ShapeException {
    if (json.current() == JsonToken.VALUE_NULL) {
      return null;
    }
    int[] fields = new int[3]; // file, line, omittedFrames
    List<RawCall> calls = new ArrayList<>();
    json.readObject(STATEMENT_FIELDS, name -> {
      switch (name) {
        case "file" -> fields[0] = json.readInt(0);
        case "line" -> fields[1] = json.readInt(0);
        case "chain" -> json.readArray(i -> calls.add(readCall()));
        case "omittedFrames" -> fields[2] = json.readInt(0);
        default -> json.skip();
      }
    });
    return new RawStatement(fields[0], fields[1], calls, fields[2]);
  }

  private RawCall readCall() throws IOException, ShapeException {
    int[] fields = new int[2];
    String[] function = new String[1];
    json.readObject(CALL_FIELDS, name -> {
      switch (name) {
        case "file" -> fields[0] = json.readInt(0);
        case "line" -> fields[1] = json.readInt(0);
        case "function" -> function[0] = intern(json.readString());
        default -> json.skip();
      }
    });
    return new RawCall(fields[0], fields[1], function[0]);
  }

  /**
   * A module's {@code bytecode}; null for a {@code from} or {@code cause} value this reader does not know (a
   * newer agent's): the module then counts as not recorded rather than the profile failing.
   */
  private Bytecode readBytecode() throws IOException, ShapeException {
    if (json.current() == JsonToken.VALUE_NULL) {
      return null;
    }
    String[] strings = new String[2]; // from, cause
    long[] compileUs = new long[1];
    Boolean[] cacheWritten = new Boolean[1];
    json.readObject(BYTECODE_FIELDS, name -> {
      switch (name) {
        case "from" -> strings[0] = json.readString();
        case "compileUs" -> compileUs[0] = json.readTime();
        case "cause" -> strings[1] = json.readNullableString();
        case "cacheWritten" -> cacheWritten[0] = json.readBoolean();
        default -> json.skip();
      }
    });
    Bytecode.Source from = Bytecode.Source.fromJson(strings[0]);
    if (from == null) {
      return null;
    }
    return new Bytecode(from, from == Bytecode.Source.SOURCE ? compileUs[0] : 0,
        strings[1] == null ? null : Bytecode.Cause.fromJson(strings[1]), cacheWritten[0]);
  }

  private RawTrigger readTrigger() throws IOException, ShapeException {
    if (json.current() == JsonToken.VALUE_NULL) {
      return null;
    }
    int[] fields = new int[2];
    json.readObject(TRIGGER_FIELDS, name -> {
      switch (name) {
        case "file" -> fields[0] = json.readInt(0);
        case "line" -> fields[1] = json.readInt(0);
        default -> json.skip();
      }
    });
    return new RawTrigger(fields[0], fields[1]);
  }

  private Invocation readInvocation() throws IOException, ShapeException {
    long[] numbers = new long[3]; // index, durationUs, samples
    String[] strings = new String[3]; // event, outcome, exceptionType
    Long[] rss = new Long[1];
    List<String> executed = new ArrayList<>();
    boolean[] observed = {true}; // absent: watched (every call of the local runner and of older agents)
    json.readObject(INVOCATION_FIELDS, name -> {
      switch (name) {
        case "index" -> numbers[0] = json.readInt(0);
        case "event" -> strings[0] = intern(json.readString());
        case "durationUs" -> numbers[1] = json.readTime();
        case "peakRssBytes" -> rss[0] = json.readNullableMemory();
        case "outcome" -> {
          strings[1] = json.readString();
          if (!strings[1].equals("return") && !strings[1].equals("exception")) {
            throw json.invalid("unknown outcome '" + strings[1] + "'");
          }
        }
        case "exceptionType" -> strings[2] = intern(json.readNullableString());
        case "modulesExecuted" -> json.readArray(i -> executed.add(intern(json.readString())));
        case "samples" -> numbers[2] = json.readInt(0);
        case "usageObserved" -> observed[0] = json.readBoolean();
        default -> json.skip();
      }
    });
    executed.sort(null);
    return new Invocation((int) numbers[0], strings[0], numbers[1], rss[0], strings[1].equals("exception"),
        strings[2], executed, (int) numbers[2], observed[0]);
  }

  private ModuleUsage readModuleUsage() throws IOException, ShapeException {
    int[] samples = new int[2]; // samples, importPhaseCallSamples
    boolean[] flags = new boolean[3]; // executed, usedAtInit, executedUnknown
    List<String> callers = new ArrayList<>();
    json.readObject(MODULE_USAGE_FIELDS, name -> {
      switch (name) {
        case "samples" -> samples[0] = json.readInt(0);
        case "executed" -> flags[0] = json.readBoolean();
        case "importPhaseCallSamples" -> samples[1] = json.readInt(0);
        case "usedAtInit" -> flags[1] = json.readBoolean();
        case "executedUnknown" -> flags[2] = json.readBoolean();
        case "initCallers" -> json.readArray(i -> callers.add(intern(json.readString())));
        default -> json.skip();
      }
    });
    callers.sort(null);
    return new ModuleUsage(samples[0], flags[0], flags[1], callers, samples[1], flags[2]);
  }

  private void readCallTreeField(String name) throws IOException, ShapeException {
    switch (name) {
      case "frames" -> json.readArray(this::readFrame);
      case "nodes" -> json.readArray(this::readNode);
      default -> json.skip();
    }
  }

  private void readFrame(int index) throws IOException, ShapeException {
    json.expect(JsonToken.START_ARRAY, "an array [fileIndex, function, line, module]");
    if (frameCount == frameLine.length) {
      int size = Math.max(256, frameCount * 2);
      frameFileIndex = Arrays.copyOf(frameFileIndex, size);
      frameFunction = Arrays.copyOf(frameFunction, size);
      frameLine = Arrays.copyOf(frameLine, size);
      frameModule = Arrays.copyOf(frameModule, size);
    }
    json.next();
    frameFileIndex[frameCount] = json.readInt(-1);
    json.next();
    frameFunction[frameCount] = intern(json.readString());
    json.next();
    frameLine[frameCount] = json.readInt(0);
    json.next();
    frameModule[frameCount] = intern(json.readNullableString());
    if (json.next() != JsonToken.END_ARRAY) {
      throw json.invalid("a frame has more than 4 items");
    }
    frameCount++;
  }

  private void readNode(int index) throws IOException, ShapeException {
    json.expect(JsonToken.START_ARRAY, "an array [parent, frame, importSamples, executionSamples]");
    if (nodeCount == nodeParent.length) {
      int size = Math.max(1024, nodeCount * 2);
      nodeParent = Arrays.copyOf(nodeParent, size);
      nodeFrame = Arrays.copyOf(nodeFrame, size);
      nodeImport = Arrays.copyOf(nodeImport, size);
      nodeExecution = Arrays.copyOf(nodeExecution, size);
    }
    json.next();
    nodeParent[nodeCount] = json.readInt(-1);
    json.next();
    nodeFrame[nodeCount] = json.readInt(-1);
    json.next();
    nodeImport[nodeCount] = json.readInt(0);
    json.next();
    nodeExecution[nodeCount] = json.readInt(0);
    if (json.next() != JsonToken.END_ARRAY) {
      throw json.invalid("a node has more than 4 items");
    }
    nodeCount++;
  }

  /** Builds the profile once every field is read: resolves file indexes, checks the call tree. */
  private Profile resolve() throws ShapeException {
    List<ColdStart> resolved = new ArrayList<>(coldStarts.size());
    for (int c = 0; c < coldStarts.size(); c++) {
      RawColdStart raw = coldStarts.get(c);
      List<ModuleImport> modules = new ArrayList<>(raw.modules().size());
      long[] fullGcUs = new long[raw.modules().size()];
      long[] fullGcCumulativeUs = new long[raw.modules().size()];
      for (int m = 0; m < raw.modules().size(); m++) {
        RawModule module = raw.modules().get(m);
        String modulePath = "$.coldStarts[%d].modules[%d]";
        int coldStartIndex = c;
        int moduleIndex = m;
        String file = module.file() == null ? null
            : file(module.file(), () -> modulePath.formatted(coldStartIndex, moduleIndex) + ".file");
        Trigger trigger = module.trigger() == null ? null
            : new Trigger(file(module.trigger().file(),
                () -> modulePath.formatted(coldStartIndex, moduleIndex) + ".trigger.file"), module.trigger().line());
        ModuleLevelStatement statement = module.statement() == null ? null
            : statement(module.statement(), modulePath.formatted(coldStartIndex, moduleIndex) + ".statement");
        modules.add(new ModuleImport(module.name(), module.parent(), file, module.selfUs(), module.cumulativeUs(),
            module.phase(), trigger, module.rssDeltaBytes(), statement, module.bytecode()));
        fullGcUs[m] = module.fullGcUs();
        fullGcCumulativeUs[m] = module.fullGcCumulativeUs();
      }
      resolved.add(new ColdStart(raw.index(), raw.initUs(), raw.initPeakRssBytes(), raw.importSamples(),
          raw.executionSamples(), CollectionShares.shareOut(modules, fullGcUs, fullGcCumulativeUs), raw.invocations(),
          new TreeMap<>(raw.moduleUsage())));
    }
    String[] frameFiles = new String[frameCount];
    for (int f = 0; f < frameCount; f++) {
      int frameIndex = f;
      frameFiles[f] = frameFileIndex[f] < 0 ? null
          : file(frameFileIndex[f], () -> "$.callTree.frames[" + frameIndex + "][0]");
    }
    CallTree tree;
    if (nodeCount == 0) {
      tree = CallTree.EMPTY;
    } else {
      try {
        tree = new CallTree(frameFiles, Arrays.copyOf(frameFunction, frameCount), Arrays.copyOf(frameLine, frameCount),
            Arrays.copyOf(frameModule, frameCount), Arrays.copyOf(nodeParent, nodeCount),
            Arrays.copyOf(nodeFrame, nodeCount), Arrays.copyOf(nodeImport, nodeCount),
            Arrays.copyOf(nodeExecution, nodeCount));
      } catch (IllegalArgumentException e) {
        throw new ShapeException("invalid call tree at $.callTree.nodes: " + e.getMessage());
      }
    }
    return new Profile(new ProfileSource(path, SourceKind.JSON), app,
        environment == null ? Environment.UNKNOWN : environment, settings, startedAt, files, resolved, tree,
        errors, List.of());
  }

  /** The path at {@code index} of the files table; {@code jsonPath} is only evaluated for an error. */
  private ModuleLevelStatement statement(RawStatement raw, String jsonPath) throws ShapeException {
    List<ModuleLevelStatement.Call> calls = new ArrayList<>(raw.calls().size());
    for (int i = 0; i < raw.calls().size(); i++) {
      RawCall call = raw.calls().get(i);
      int callIndex = i;
      calls.add(new ModuleLevelStatement.Call(file(call.file(), () -> jsonPath + ".chain[" + callIndex + "].file"),
          call.line(), call.function()));
    }
    return new ModuleLevelStatement(file(raw.file(), () -> jsonPath + ".file"), raw.line(), calls,
        raw.omittedFrames());
  }

  private String file(int index, Supplier<String> jsonPath) throws ShapeException {
    if (index < 0 || index >= files.size()) {
      throw new ShapeException("file index " + index + " at " + jsonPath.get() + " is outside the files table ("
          + files.size() + " entries)");
    }
    return files.get(index);
  }

  /**
   * Module names, paths and function names repeat across the cold starts of a profile and across the
   * profiles of an app; the JVM's string table keeps one copy of each (and lets go of it when unused).
   */
  private static String intern(String value) {
    return value == null ? null : value.intern();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed input";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
