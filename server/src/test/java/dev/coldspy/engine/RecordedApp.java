package dev.coldspy.engine;

import dev.coldspy.profile.App;
import dev.coldspy.profile.CallTree;
import dev.coldspy.profile.ColdStart;
import dev.coldspy.profile.Environment;
import dev.coldspy.profile.Invocation;
import dev.coldspy.profile.ModuleImport;
import dev.coldspy.profile.ModuleLevelStatement;
import dev.coldspy.profile.ModuleUsage;
import dev.coldspy.profile.Phase;
import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.profile.ProfileSource;
import dev.coldspy.profile.ProfilerSettings;
import dev.coldspy.profile.SourceKind;
import dev.coldspy.profile.Trigger;
import dev.coldspy.profile.UsageSignal;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * An app written to a folder with its libraries and profiled in ten alike cold starts of one invocation each
 * (exact usage signal), then analysed with the libraries' sources read from the folder: the engine tests' way
 * to say "these imports were recorded, this code ran" and read the findings.
 */
final class RecordedApp {
  private static final int COLD_STARTS = 10;

  private RecordedApp() {}

  /**
   * One recorded import: name, importing module, own ms, the file it was imported from and line (0: no trigger,
   * as for the handler module, which the agent imports), and for an import made inside a call, the app's
   * module-level statement that was running (its line in handler.py), else 0.
   */
  record Recorded(String name, String parent, long selfMs, String file, String fromFile, int line,
      int statementLine) {
    Recorded(String name, String parent, long selfMs, String file, String fromFile, int line) {
      this(name, parent, selfMs, file, fromFile, line, 0);
    }
  }

  /**
   * @param sources every file by its path under {@code root}, the app's and the libraries'
   * @param appFiles the app's files (the rest are libraries); their modules' code runs in every invocation,
   *     as do {@code helper}'s and {@code framework}'s, unless {@code usage} says otherwise
   * @param usage by 0-based cold start, the use of modules that differs from that
   */
  static Analysis analyze(Path root, Map<String, String> sources, List<Recorded> recorded, List<String> appFiles,
      IntFunction<Map<String, ModuleUsage>> usage) throws IOException {
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = root.resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
    }
    List<ColdStart> coldStarts = new ArrayList<>();
    for (int i = 0; i < COLD_STARTS; i++) {
      List<ModuleImport> modules = new ArrayList<>();
      for (Recorded module : recorded) {
        String from = root.resolve(module.fromFile()).toString();
        ModuleLevelStatement statement = module.statementLine() == 0 ? null
            : new ModuleLevelStatement(root.resolve("handler.py").toString(), module.statementLine(),
                List.of(new ModuleLevelStatement.Call(from, module.line(), "__getattr__")), 0);
        modules.add(new ModuleImport(module.name(), module.parent(), root.resolve(module.file()).toString(),
            module.selfMs() * 1000, module.selfMs() * 1000, Phase.INIT,
            module.line() == 0 ? null : new Trigger(from, module.line()), null, statement));
      }
      TreeMap<String, ModuleUsage> used = new TreeMap<>();
      appFiles.forEach(app -> used.put(moduleName(app), new ModuleUsage(0, true)));
      used.put("helper", new ModuleUsage(0, true));
      used.put("framework", new ModuleUsage(0, true));
      used.putAll(usage.apply(i));
      coldStarts.add(new ColdStart(i, 500_000, null, 0, 0, modules,
          List.of(new Invocation(0, "event.json", 1000, null, false, null,
              List.of("framework", "handler", "helper", "other"),
              0)),
          used));
    }
    Profile profile = new Profile(new ProfileSource(Path.of("app.json"), SourceKind.JSON),
        new App("app", "handler.py:handler", root.toString()),
        new Environment("3.12.3", "CPython", "Linux", "x86_64", true, 512),
        new ProfilerSettings(1_000L, "wall", UsageSignal.SYS_MONITORING, "none", 10),
        null, List.of(), coldStarts, CallTree.EMPTY, List.of(), List.of());
    List<AppSources.Parsed> parsed = new ArrayList<>();
    for (String app : appFiles) {
      parsed.add(new AppSources.Parsed(app, app, PythonModule.parse(sources.get(app),
          new ModuleIdentity(moduleName(app), false))));
    }
    Engine engine = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS,
        new ModuleLevelImports(path -> Optional.of(Path.of(path))));
    return engine.analyze(ProfileSet.of(List.of(profile)), AppSources.of(parsed));
  }

  private static String moduleName(String appFile) {
    return appFile.replace(".py", "").replace('/', '.');
  }

  /** Each finding as {@code file:line CODE saving-in-ms}. */
  static List<String> findings(Analysis analysis) {
    return analysis.findings().stream()
        .map(f -> f.file() + ":" + f.oneBasedLine() + " " + f.rule().code() + " " + Math.round(f.savingUs() / 1000))
        .toList();
  }
}
