package dev.coldspy.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads raw {@code python -X importtime} output (stderr of the interpreter, often mixed with other output).
 *
 * <ul>
 *   <li>A record is {@code import time: <self> | <cumulative> | <indent><module>}; the indentation (two spaces
 *       per level) gives the nesting. A record is recognised anywhere in a line, so output glued in front of
 *       it does not lose it. Every other line is junk: skipped and counted in a reader warning.
 *   <li>Each header line {@code import time: self [us] | cumulative | imported package} starts a new
 *       interpreter, i.e. a new cold start, so concatenated logs of several runs give several cold starts.
 *   <li>Interpreter start-up (everything up to and including the top-level import of {@code site}, which
 *       CPython performs before running any user code) is left out: it is paid by every Python process and no
 *       statement of the app triggered it.
 *   <li>There are no samples, no files, no trigger lines and no invocations: usage is unknown.
 *   <li>The app name comes from the file name, as for pickles ({@code <app>[-<time>].log}).
 * </ul>
 */
final class ImportTimeLogReader {
  private static final Pattern RECORD =
      Pattern.compile("import time:\\s+(\\d+)\\s+\\|\\s+(\\d+)\\s+\\|( +)(\\S+)\\s*$");
  private static final Pattern HEADER = Pattern.compile("import time:\\s+self \\[us\\]\\s+\\|\\s+cumulative");
  private static final String STARTUP_END = "site";

  private ImportTimeLogReader() {}

  static Profile read(Path path, InputStream in) throws ProfileFormatException, IOException {
    List<List<ImportTimeTree.Entry>> runs = new ArrayList<>();
    List<ImportTimeTree.Entry> current = new ArrayList<>();
    int junk = 0;
    int firstJunkLine = 0;
    int lineNumber = 0;
    CappedLines lines = new CappedLines(new InputStreamReader(in, StandardCharsets.UTF_8));
    while (lines.next()) {
      lineNumber++;
      Matcher record = RECORD.matcher(lines.line);
      if (record.find()) {
        current.add(new ImportTimeTree.Entry(PrintableText.of(record.group(4)), null,
            time(path, record.group(1), lineNumber), time(path, record.group(2), lineNumber),
            record.group(3).length()));
      } else if (HEADER.matcher(lines.line).find()) {
        if (!current.isEmpty()) {
          runs.add(current);
          current = new ArrayList<>();
        }
      } else if (!lines.line.toString().isBlank()) {
        junk++;
        firstJunkLine = firstJunkLine == 0 ? lineNumber : firstJunkLine;
      }
    }
    if (!current.isEmpty()) {
      runs.add(current);
    }
    if (runs.isEmpty()) {
      throw new ProfileFormatException(path, "no '-X importtime' records found (" + lineNumber + " lines read)");
    }
    List<ColdStart> coldStarts = new ArrayList<>();
    for (List<ImportTimeTree.Entry> run : runs) {
      coldStarts.add(coldStart(coldStarts.size(), withoutStartup(run)));
    }
    List<String> warnings = junk == 0 ? List.of()
        : List.of("skipped " + junk + " line(s) that are not importtime records (first at line " + firstJunkLine + ")");
    return new Profile(new ProfileSource(path, SourceKind.IMPORTTIME),
        new App(ProfileFileNames.appName(path), null, null), Environment.UNKNOWN,
        new ProfilerSettings(null, null, UsageSignal.NONE, "none", coldStarts.size()),
        null, List.of(), coldStarts, CallTree.EMPTY, List.of(), warnings);
  }

  /** A time of a record, within {@link ReadLimits#checkTime(long)}. */
  private static long time(Path path, String digits, int line) throws ProfileFormatException {
    long value;
    try {
      value = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new ProfileFormatException(path, "import time out of range at line " + line, e);
    }
    String problem = ReadLimits.checkTime(value);
    if (problem != null) {
      throw new ProfileFormatException(path, "import " + problem + " at line " + line);
    }
    return value;
  }

  /**
   * Lines cut to their last {@link ReadLimits#MAX_LOG_LINE_CHARS} characters: a record ends its line, so a record
   * after long program output is still found, while a log of one endless line costs neither memory nor
   * regular-expression time.
   */
  private static final class CappedLines {
    private final Reader in;
    private final char[] buffer = new char[1 << 14];
    private int position;
    private int end;
    final StringBuilder line = new StringBuilder();

    CappedLines(Reader in) {
      this.in = in;
    }

    /** Reads the next line (its last characters) into {@link #line}; false at the end of the input. */
    boolean next() throws IOException {
      line.setLength(0);
      if (position == end && !fill()) {
        return false;
      }
      while (true) {
        int start = position;
        while (position < end && buffer[position] != '\n') {
          position++;
        }
        int kept = Math.min(position - start, ReadLimits.MAX_LOG_LINE_CHARS);
        int overflow = line.length() + kept - ReadLimits.MAX_LOG_LINE_CHARS;
        if (overflow > 0) {
          line.delete(0, overflow);
        }
        line.append(buffer, position - kept, kept);
        if (position < end) {
          position++; // the newline
          break;
        }
        if (!fill()) {
          break;
        }
      }
      if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
        line.setLength(line.length() - 1);
      }
      return true;
    }

    private boolean fill() throws IOException {
      end = in.read(buffer);
      position = 0;
      end = Math.max(end, 0);
      return end > 0;
    }
  }

  /** Drops interpreter start-up: the records up to the top-level {@code site} record, when there is one. */
  private static List<ImportTimeTree.Entry> withoutStartup(List<ImportTimeTree.Entry> run) {
    int topIndent = Integer.MAX_VALUE;
    for (ImportTimeTree.Entry entry : run) {
      topIndent = Math.min(topIndent, entry.indent());
    }
    for (int i = 0; i < run.size(); i++) {
      if (run.get(i).name().equals(STARTUP_END) && run.get(i).indent() == topIndent) {
        return run.subList(i + 1, run.size());
      }
    }
    return run;
  }

  private static ColdStart coldStart(int index, List<ImportTimeTree.Entry> entries) {
    List<ModuleImport> modules = new ArrayList<>(entries.size());
    long initUs = 0;
    for (ImportTimeTree.Node node : ImportTimeTree.inImportOrder(entries, entry -> false)) {
      ImportTimeTree.Entry entry = node.entry();
      modules.add(new ModuleImport(entry.name(), node.parent() == null ? null : node.parent().name(), null,
          entry.selfUs(), entry.cumulativeUs(), Phase.INIT, null, null));
      if (node.parent() == null) {
        initUs += entry.cumulativeUs();
      }
    }
    return new ColdStart(index, initUs, null, 0, 0, modules, List.of(), new TreeMap<>());
  }
}
