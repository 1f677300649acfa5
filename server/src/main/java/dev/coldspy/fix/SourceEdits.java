package dev.coldspy.fix;

import dev.coldspy.python.ImportKind;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ImportedName;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import dev.coldspy.text.SpanEdit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Edits shared by the fixes: deleting a statement or some of its names, writing import statements, inserting
 * lines — always in the file's own line endings and indentation.
 */
final class SourceEdits {
  private final SourceText text;
  private final String source;

  SourceEdits(PythonModule module) {
    this.text = module.text();
    this.source = text.text();
  }

  /** The line ending to write after content placed on {@code line}: that line's own, else the file's. */
  String lineEnding(int line) {
    String terminator = text.lineTerminator(line);
    return terminator.isEmpty() ? text.dominantLineEnding().text() : terminator;
  }

  /** One level of indentation as the file writes it: a tab, or the first indented line's spaces (else 4). */
  String indentUnit() {
    for (int line = 0; line < text.lineCount(); line++) {
      String indentation = text.indentation(line);
      String content = text.lineText(line).strip();
      if (!indentation.isEmpty() && !content.isEmpty() && !content.startsWith("#")) {
        return indentation.startsWith("\t") ? "\t" : indentation.replace("\t", "");
      }
    }
    return "    ";
  }

  /** The source of an import statement binding {@code names} the way {@code statement} does. */
  static String importText(ImportStatement statement, List<ImportedName> names) {
    String clauses = String.join(", ", names.stream().map(ImportedName::clause).toList());
    return statement.kind() == ImportKind.IMPORT
        ? "import " + clauses
        : "from " + statement.writtenModule() + " import " + clauses;
  }

  /**
   * Removes {@code names} from the statement, keeping the others with their comments; removes the whole
   * statement when no name is left.
   */
  List<SpanEdit> removeNames(ImportStatement statement, Collection<ImportedName> names) {
    List<ImportedName> all = statement.names();
    if (names.containsAll(all)) {
      return List.of(deleteStatement(statement));
    }
    List<SpanEdit> ownLines = deleteOwnLines(statement, names);
    if (ownLines != null) {
      return ownLines;
    }
    List<SpanEdit> edits = new ArrayList<>();
    int last = all.size() - 1;
    int trailingRunStart = all.size();
    while (trailingRunStart > 0 && names.contains(all.get(trailingRunStart - 1))) {
      trailingRunStart--;
    }
    for (int i = 0; i < trailingRunStart; i++) {
      if (names.contains(all.get(i))) {
        // the clause and everything up to the next clause: separator, comments, line breaks
        edits.add(SpanEdit.delete(new Span(all.get(i).span().start(), all.get(i + 1).span().start())));
      }
    }
    if (trailingRunStart <= last) {
      // the last clauses go with the separator before them, keeping a trailing comma if there was one
      edits.add(
          SpanEdit.delete(new Span(all.get(trailingRunStart - 1).span().end(), all.get(last).span().end())));
    }
    return edits;
  }

  /**
   * In a parenthesised statement written one name per line, deletes the removed names' whole lines (with
   * their comments), leaving the other lines and their comments untouched; null when the layout differs.
   */
  private List<SpanEdit> deleteOwnLines(ImportStatement statement, Collection<ImportedName> names) {
    if (statement.firstLine() == statement.lastLine()) {
      return null;
    }
    List<SpanEdit> edits = new ArrayList<>();
    for (ImportedName name : names) {
      int line = text.lineOfOffset(name.span().start());
      String content = text.lineText(line).strip();
      String clause = text.slice(name.span());
      String rest = content.startsWith(clause) ? content.substring(clause.length()).strip() : null;
      if (rest == null
          || text.lineOfOffset(name.span().end()) != line
          || line == statement.firstLine()
          || line == statement.lastLine()
          || !(rest.isEmpty() || rest.equals(",") || rest.startsWith("#") || rest.matches(",\\s*#.*"))) {
        return null;
      }
      edits.add(SpanEdit.delete(new Span(text.lineStart(line), text.lineEnd(line))));
    }
    return edits;
  }

  /**
   * Deletes a statement: its whole line(s) when it has them to itself, only itself and a {@code ;} when it
   * shares a line, and {@code pass} in its place when it is the only statement of a block.
   */
  SpanEdit deleteStatement(ImportStatement statement) {
    Span span = statement.span();
    if (statement.aloneInBlock()) {
      return new SpanEdit(span, "pass");
    }
    int after = skipBlanks(span.end());
    if (after < source.length() && source.charAt(after) == ';') {
      return SpanEdit.delete(new Span(span.start(), skipBlanks(after + 1)));
    }
    if (!text.startsLine(span.start())) {
      int before = span.start();
      while (before > 0 && (source.charAt(before - 1) == ' ' || source.charAt(before - 1) == '\t')) {
        before--;
      }
      if (before > 0 && source.charAt(before - 1) == ';') {
        return SpanEdit.delete(new Span(before - 1, span.end()));
      }
      return new SpanEdit(span, "pass");
    }
    return SpanEdit.delete(new Span(text.lineStart(statement.firstLine()), text.lineEnd(statement.lastLine())));
  }

  /**
   * {@link #removeNames}, for a fix that adds nothing where the statement was (lazy-load, remove): a statement
   * deleted from whole lines of its own takes along the blank lines it would leave doubled.
   */
  List<SpanEdit> removeNamesClosingTheGap(ImportStatement statement, Collection<ImportedName> names) {
    List<SpanEdit> edits = removeNames(statement, names);
    Span wholeLines = new Span(text.lineStart(statement.firstLine()), text.lineEnd(statement.lastLine()));
    if (edits.size() == 1 && edits.get(0).span().equals(wholeLines) && edits.get(0).newText().isEmpty()) {
      return List.of(SpanEdit.delete(withSurroundingBlankLines(statement.firstLine(), statement.lastLine())));
    }
    return edits;
  }

  /**
   * Lines {@code first..last} as a span to delete, with the blank lines that would be left doubled: a
   * statement standing alone between blank lines takes the blank lines before it along (the gap after it then
   * separates what came before from what follows, as before), one at the top of the file the blank lines after
   * it — so that deleting it leaves no stray blank lines (isort, ruff's I001 and E303 count them).
   */
  private Span withSurroundingBlankLines(int first, int last) {
    int start = text.lineStart(first);
    int end = text.lineEnd(last);
    boolean blankAfter = last + 1 >= text.lineCount() || text.lineText(last + 1).isBlank();
    if (first == 0) {
      int next = last + 1;
      while (next < text.lineCount() && text.lineText(next).isBlank()) {
        next++;
      }
      return new Span(start, next < text.lineCount() ? text.lineStart(next) : text.length());
    }
    if (blankAfter && text.lineText(first - 1).isBlank()) {
      int previous = first - 1;
      while (previous > 0 && text.lineText(previous - 1).isBlank()) {
        previous--;
      }
      return new Span(text.lineStart(previous), end);
    }
    return new Span(start, end);
  }

  /**
   * The line to insert {@code importText} at so that it joins the run of one-line import statements directly
   * above {@code line} (indented by {@code indentation}) in sorted order, as isort and ruff sort a block: plain
   * imports before from-imports, then by module name; {@code line} itself when it sorts last or there is no
   * such run.
   */
  int sortedInsertionLine(int line, String indentation, String importText, List<ImportStatement> statements) {
    int insertAt = line;
    for (int above = line - 1; above >= 0; above--) {
      ImportStatement previous = oneLineImportAt(above, statements);
      if (previous == null || !text.indentation(above).equals(indentation)) {
        break;
      }
      if (sortKey(text.lineText(above).strip()).compareTo(sortKey(importText)) > 0) {
        insertAt = above;
      }
    }
    return insertAt;
  }

  private static ImportStatement oneLineImportAt(int line, List<ImportStatement> statements) {
    for (ImportStatement statement : statements) {
      if (statement.firstLine() == line && statement.lastLine() == line) {
        return statement;
      }
    }
    return null;
  }

  /** "0 json" for {@code import json}, "1 pdfminer.layout" for {@code from pdfminer.layout import …}. */
  private static String sortKey(String importText) {
    return ImportSection.sortKey(importText.startsWith("from"), writtenModule(importText));
  }

  private static String sortKey(ImportStatement statement) {
    return ImportSection.sortKey(statement.kind() != ImportKind.IMPORT, ImportSection.writtenModule(statement));
  }

  /** The module an import statement's text names first: {@code os.path} of {@code import os.path, sys}. */
  private static String writtenModule(String importText) {
    String[] words = importText.strip().split("\\s+");
    return words.length > 1 ? words[1].replace(",", "").replace(";", "") : "";
  }

  /**
   * The edit adding {@code importText}, a one-line import statement, among {@code neighbours} — the import
   * statements of one level, such as the module's plain top-level imports — where isort and ruff's default
   * profile would put it: into the block (statements on consecutive lines) of its {@link ImportSection}, one
   * that imports the same package if there is one; before the first statement sorting after it when the block
   * is sorted, else at the block's end; as a block of its own between the sections around it when its section
   * has none — or, in a file whose blocks mix sections, at the end of the first such block. Without neighbours it goes at the start of {@code fallbackLine}. Blank lines are added only to
   * separate a new block.
   */
  SpanEdit insertImport(String importText, List<ImportStatement> neighbours, int fallbackLine) {
    List<List<ImportStatement>> blocks = blocks(neighbours);
    if (blocks.isEmpty()) {
      return insertLinesAt(text.lineStart(fallbackLine), fallbackLine, List.of(text.indentation(fallbackLine) + importText));
    }
    String module = writtenModule(importText);
    ImportSection section = ImportSection.ofModule(module);
    List<ImportStatement> block = blocks.stream()
        .filter(b -> b.stream().anyMatch(s -> ImportSection.of(s) == section
            && ImportSection.topLevel(ImportSection.writtenModule(s)).equals(ImportSection.topLevel(module))))
        .findFirst()
        .or(() -> blocks.stream().filter(b -> b.stream().allMatch(s -> ImportSection.of(s) == section)).findFirst())
        .orElse(null);
    if (block != null) {
      ImportStatement last = block.get(block.size() - 1);
      String line = text.indentation(block.get(0).firstLine()) + importText;
      boolean sorted = true;
      for (int i = 1; i < block.size(); i++) {
        sorted &= sortKey(block.get(i - 1)).compareTo(sortKey(block.get(i))) <= 0;
      }
      for (ImportStatement statement : block) {
        if (sorted && sortKey(statement).compareTo(sortKey(importText)) > 0) {
          return insertLinesAt(text.lineStart(statement.firstLine()), statement.firstLine(), List.of(line));
        }
      }
      return insertLinesAfter(last, List.of(line));
    }
    Optional<List<ImportStatement>> unsectioned =
        blocks.stream().filter(b -> b.stream().map(ImportSection::of).distinct().count() > 1).findFirst();
    if (unsectioned.isPresent()) {
      // the file does not keep isort's sections: the new import joins the block mixing them
      List<ImportStatement> mixed = unsectioned.get();
      ImportStatement last = mixed.get(mixed.size() - 1);
      return insertLinesAfter(last, List.of(text.indentation(last.firstLine()) + importText));
    }
    for (List<ImportStatement> later : blocks) {
      if (ImportSection.of(later.get(0)).compareTo(section) > 0) {
        int line = later.get(0).firstLine();
        return insertLinesAt(text.lineStart(line), line, List.of(text.indentation(line) + importText, ""));
      }
    }
    List<ImportStatement> lastBlock = blocks.get(blocks.size() - 1);
    ImportStatement last = lastBlock.get(lastBlock.size() - 1);
    return insertLinesAfter(last, List.of("", text.indentation(last.firstLine()) + importText));
  }

  /**
   * The edit adding {@code name} to a from-import, in isort's order when the statement's names are in it
   * (ruff's default {@code order-by-type}: constants, then classes, then the rest, each alphabetically), else
   * after its last name.
   */
  static SpanEdit addName(ImportStatement statement, String name) {
    List<ImportedName> names = statement.names();
    boolean sorted = true;
    for (int i = 1; i < names.size(); i++) {
      sorted &= nameKey(names.get(i - 1).clause()).compareTo(nameKey(names.get(i).clause())) <= 0;
    }
    for (ImportedName existing : names) {
      if (sorted && nameKey(existing.clause()).compareTo(nameKey(name)) > 0) {
        return SpanEdit.insert(existing.span().start(), name + ", ");
      }
    }
    return SpanEdit.insert(names.get(names.size() - 1).span().end(), ", " + name);
  }

  private static String nameKey(String name) {
    boolean constant = name.length() > 1 && name.equals(name.toUpperCase(Locale.ROOT));
    boolean className = !constant && Character.isUpperCase(name.charAt(0));
    return (constant ? "0 " : className ? "1 " : "2 ") + name;
  }

  /** Statements in runs on consecutive lines at one indentation, in document order. */
  private List<List<ImportStatement>> blocks(List<ImportStatement> statements) {
    List<List<ImportStatement>> blocks = new ArrayList<>();
    ImportStatement previous = null;
    for (ImportStatement statement : statements.stream()
        .sorted(Comparator.comparingInt(ImportStatement::firstLine)).toList()) {
      if (previous == null
          || statement.firstLine() > previous.lastLine() + 1
          || !text.indentation(statement.firstLine()).equals(text.indentation(previous.firstLine()))) {
        blocks.add(new ArrayList<>());
      }
      blocks.get(blocks.size() - 1).add(statement);
      previous = statement;
    }
    return blocks;
  }

  /**
   * {@code importText} followed by the comment that ends the statement's last line ({@code  # why}) when
   * {@link #deleteStatement} deletes that comment with the statement: a fix moving the whole statement
   * elsewhere carries the comment along instead of losing it.
   */
  String withTrailingComment(ImportStatement statement, String importText) {
    if (statement.aloneInBlock() || !text.startsLine(statement.span().start())) {
      return importText;
    }
    int after = skipBlanks(statement.span().end());
    int end = text.lineContentEnd(statement.lastLine());
    if (after >= end || source.charAt(after) != '#') {
      return importText;
    }
    return importText + "  " + source.substring(after, end).strip();
  }

  /** Inserts whole lines right after the statement's last line (adding a line break if the file lacks one). */
  SpanEdit insertLinesAfter(ImportStatement statement, List<String> lines) {
    int line = statement.lastLine();
    return insertLinesAt(text.lineEnd(line), line, lines);
  }

  /** Inserts whole lines at {@code offset}, a line start (or the text's end); {@code line} gives the style. */
  SpanEdit insertLinesAt(int offset, int line, List<String> lines) {
    String eol = lineEnding(line);
    StringBuilder inserted = new StringBuilder();
    if (offset == source.length() && !source.isEmpty() && text.lineTerminator(text.lineCount() - 1).isEmpty()
        && !text.lineText(text.lineCount() - 1).isEmpty()) {
      inserted.append(eol);
    }
    for (String l : lines) {
      inserted.append(l).append(eol);
    }
    return SpanEdit.insert(offset, inserted.toString());
  }

  /** "line 12 (`x = json.loads(s)`)" for messages. */
  String where(Span span) {
    int line = text.lineOfOffset(span.start());
    String code = text.lineText(line).strip();
    if (code.length() > 60) {
      code = code.substring(0, 57) + "...";
    }
    return "line " + (line + 1) + " (`" + code + "`)";
  }

  SourceText text() {
    return text;
  }

  private int skipBlanks(int offset) {
    int i = offset;
    while (i < source.length() && (source.charAt(i) == ' ' || source.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
