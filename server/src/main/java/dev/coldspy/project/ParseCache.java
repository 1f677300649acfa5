package dev.coldspy.project;

import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Parsed Python files by path, so that a keystroke re-parses one file incrementally (tree-sitter re-uses the
 * previous tree) and files nobody edits are read and parsed once. The last two texts of each file are kept:
 * an open file is analysed with the buffer's text and, when closed, again with the file's text, and neither
 * should need a parse. Thread-safe; entries are immutable; a parse runs outside any lock.
 */
public final class ParseCache {
  /** Parsed texts kept per file: the buffer's and the file's. */
  private static final int KEPT = 2;

  private record DiskText(FileTime modified, long size, String text) {}

  /** The last parses per file, most recent first. */
  private final ConcurrentHashMap<Path, List<PythonModule>> modules = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Path, DiskText> disk = new ConcurrentHashMap<>();

  /** The file parsed with exactly this text, re-using the previous parse of the same path. */
  public PythonModule parse(Path file, String text, ModuleIdentity identity) {
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
   * A file's text as on disk ({@link SourceReader}), re-read only when its size or modification time changed;
   * empty when it cannot be read or is too large ({@code problems} is told why).
   */
  public Optional<String> diskText(Path file, Consumer<String> problems) {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      DiskText cached = disk.get(file);
      if (cached != null && cached.modified().equals(modified) && cached.size() == size) {
        return Optional.of(cached.text());
      }
      String text = SourceReader.read(file);
      disk.put(file, new DiskText(modified, size, text));
      return Optional.of(text);
    } catch (IOException unreadable) {
      problems.accept(file + ": cannot read: " + unreadable.getMessage());
      return Optional.empty();
    } catch (SourceReader.UnreadableSource unreadable) {
      problems.accept(unreadable.getMessage());
      return Optional.empty();
    }
  }
}
