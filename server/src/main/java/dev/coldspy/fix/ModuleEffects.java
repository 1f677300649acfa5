package dev.coldspy.fix;

import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.Span;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which installed (third-party) modules act on the world when imported — register a codec, set an
 * environment variable, patch another module ({@link PythonModule#outwardEffect()}) — read from their source
 * files where the profiles recorded them. An import of such a module may be there for that alone, so it is
 * neither removed nor deferred. Each source is read and parsed once, when a fix first asks; a file that cannot
 * be read (a profile recorded elsewhere, e.g. in Lambda) tells nothing. Thread-safe.
 */
final class InstalledModuleEffects {
  static final InstalledModuleEffects NONE = new InstalledModuleEffects(Map.of());
  /** Larger sources are not parsed (generated tables, vendored bundles): no verdict rather than a slow one. */
  private static final long MAX_SOURCE_BYTES = 2_000_000;

  private final Map<String, Path> sources;
  private final Map<String, Optional<String>> effects = new ConcurrentHashMap<>();

  InstalledModuleEffects(Map<String, Path> sources) {
    this.sources = Map.copyOf(sources);
  }

  /** Where importing {@code module} acts, for messages ("`rot13x/__init__.py` line 15: `codecs.register(...)`"). */
  Optional<String> effect(String module) {
    Path source = sources.get(module);
    if (source == null) {
      return Optional.empty();
    }
    return effects.computeIfAbsent(module, name -> read(name, source));
  }

  private static Optional<String> read(String name, Path source) {
    try {
      if (!Files.isRegularFile(source) || Files.size(source) > MAX_SOURCE_BYTES) {
        return Optional.empty();
      }
      PythonModule module = PythonModule.parse(Files.readString(source, StandardCharsets.UTF_8),
          new ModuleIdentity(name, source.getFileName().toString().equals("__init__.py")));
      Span effect = module.outwardEffect();
      if (effect == null) {
        return Optional.empty();
      }
      String statement = module.text().slice(effect).strip().lines().findFirst().orElse("");
      return Optional.of("`" + source.getFileName() + "` line " + (module.text().lineOfOffset(effect.start()) + 1)
          + ": `" + (statement.length() > 60 ? statement.substring(0, 57) + "..." : statement) + "`");
    } catch (IOException unreadable) {
      return Optional.empty();
    }
  }
}
