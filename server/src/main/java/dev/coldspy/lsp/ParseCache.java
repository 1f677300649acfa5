package dev.coldspy.lsp;

import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed Python files by path, so that a keystroke re-parses one file incrementally (tree-sitter re-uses the
 * previous tree) and files nobody edits are read and parsed once. The last two texts of each file are kept:
 * an open file is analysed with the buffer's text and, when closed, again with the file's text, and neither
 * should need a parse. Thread-safe; entries are immutable; a parse runs outside any lock.
 */
final class ParseCache {
  /** Parsed texts kept per file: the buffer's and the file's. */
  private static final int KEPT = 2;

  private record DiskText(FileTime modified, long size, String text) {}

  /** The last parses per file, most recent first. */
  private final ConcurrentHashMap<Path, List<PythonModule>> modules = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Path, DiskText> disk = new ConcurrentHashMap<>();

  /** The file parsed with exactly this text, re-using the previous parse of the same path. */
  PythonModule parse(Path file, String text, ModuleIdentity identity) {
    PythonModule previous = null;
    for (PythonModule kept : modules.getOrDefault(file, List.of())) {
      if (!kept.identity().equals(identity)) {
        continue;
      }
      if (kept.source().equals(text)) {
        return kept;
      }
      if (previous == null) {
        previous = kept;
      }
    }
    PythonModule parsed = previous != null ? previous.reparse(text) : PythonModule.parse(text, identity);
    modules.merge(file, List.of(parsed), (older, newest) -> {
      List<PythonModule> updated = new ArrayList<>(newest);
      for (PythonModule old : older) {
        if (updated.size() < KEPT && old.identity().equals(identity) && !old.source().equals(text)) {
          updated.add(old);
        }
      }
      return List.copyOf(updated);
    });
    return parsed;
  }

  /**
   * A file's text as on disk (UTF-8), re-read only when its size or modification time changed; empty when it
   * cannot be read, is not UTF-8 or is too large (the reason goes to {@code log}).
   */
  Optional<String> diskText(Path file, ServerLog log) {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      DiskText cached = disk.get(file);
      if (cached != null && cached.modified().equals(modified) && cached.size() == size) {
        return Optional.of(cached.text());
      }
      if (size > AnalysisContext.MAX_FILE_BYTES) {
        log.warn(file + " has " + size + " bytes, more than " + AnalysisContext.MAX_FILE_BYTES + "; not analysed");
        return Optional.empty();
      }
      String text = Utf8.decodeStrict(Files.readAllBytes(file));
      disk.put(file, new DiskText(modified, size, text));
      return Optional.of(text);
    } catch (CharacterCodingException notUtf8) {
      log.warn(file + " is not UTF-8 text; not analysed");
      return Optional.empty();
    } catch (IOException unreadable) {
      log.warn("cannot read " + file + ": " + ServerLog.describe(unreadable));
      return Optional.empty();
    }
  }
}
