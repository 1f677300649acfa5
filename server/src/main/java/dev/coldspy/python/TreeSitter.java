package dev.coldspy.python;

import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import org.treesitter.TSInputEncoding;
import org.treesitter.TSLanguage;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSQuery;
import org.treesitter.TSQueryCapture;
import org.treesitter.TSQueryCursor;
import org.treesitter.TSQueryMatch;
import org.treesitter.TSTree;
import org.treesitter.TreeSitterPython;
import java.util.ArrayList;
import java.util.List;

/**
 * Access to the tree-sitter Python grammar. Parsers are not thread-safe, so each thread gets its own; the
 * language and compiled queries are immutable and shared. Every call into tree-sitter is a native call, so
 * the rest of the package asks for specific nodes (queries, byte-range lookups) instead of walking trees.
 */
final class TreeSitter {
  static final TSLanguage PYTHON = new TreeSitterPython();
  private static final ThreadLocal<TSParser> PARSERS =
      ThreadLocal.withInitial(
          () -> {
            TSParser parser = new TSParser();
            parser.setLanguage(PYTHON);
            return parser;
          });
  private static final int READ_CHUNK = 64 * 1024;
  /** Node type names by symbol id and field names by field id, so that no native call returns a string. */
  private static final String[] SYMBOL_NAMES = symbolNames();
  private static final String[] FIELD_NAMES = fieldNames();

  private TreeSitter() {}

  /** Parses {@code text}; with {@code oldTree} (already edited) the parse is incremental. */
  static TSTree parse(SourceText text, TSTree oldTree) {
    byte[] bytes = text.parserBytes();
    byte[] buffer = new byte[Math.max(1, Math.min(READ_CHUNK, bytes.length))];
    return PARSERS
        .get()
        .parse(
            buffer,
            oldTree,
            (buf, offset, point) -> {
              int n = Math.max(0, Math.min(buf.length, bytes.length - offset));
              System.arraycopy(bytes, offset, buf, 0, n);
              return n;
            },
            TSInputEncoding.TSInputEncodingUTF8);
  }

  private static String[] symbolNames() {
    String[] names = new String[PYTHON.symbolCount()];
    for (int i = 0; i < names.length; i++) {
      names[i] = PYTHON.symbolName(i);
    }
    return names;
  }

  private static String[] fieldNames() {
    String[] names = new String[PYTHON.fieldCount() + 1];
    for (int i = 1; i < names.length; i++) {
      names[i] = PYTHON.fieldNameForId(i);
    }
    names[0] = "";
    return names;
  }

  /** The node's type, as {@link TSNode#getType()} would return it. */
  static String type(TSNode node) {
    int symbol = node.getSymbol();
    return symbol >= 0 && symbol < SYMBOL_NAMES.length ? SYMBOL_NAMES[symbol] : node.getType();
  }

  /** The name of a field id (0: no field). */
  static String fieldName(int id) {
    return id > 0 && id < FIELD_NAMES.length && FIELD_NAMES[id] != null ? FIELD_NAMES[id] : "";
  }

  static TSQuery query(String source) {
    return new TSQuery(PYTHON, source);
  }

  /** The nodes captured by {@code query} under {@code root}, in document order of matches. */
  static List<TSNode> captures(TSQuery query, TSNode root) {
    TSQueryCursor cursor = new TSQueryCursor();
    cursor.exec(query, root);
    TSQueryMatch match = new TSQueryMatch();
    List<TSNode> nodes = new ArrayList<>();
    while (cursor.nextMatch(match)) {
      for (TSQueryCapture capture : match.getCaptures()) {
        nodes.add(capture.getNode());
      }
    }
    return nodes;
  }

  static Span span(SourceText text, TSNode node) {
    return text.byteSpan(node.getStartByte(), node.getEndByte());
  }

  static String text(SourceText text, TSNode node) {
    return text.slice(span(text, node));
  }

  static boolean isNull(TSNode node) {
    return node == null || node.isNull();
  }
}
