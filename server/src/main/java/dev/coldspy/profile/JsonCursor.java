package dev.coldspy.profile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * A thin layer over Jackson's streaming parser that knows the JSON path of the value being read, so that every
 * type error names where it happened ({@code $.coldStarts[3].modules[5].selfUs}).
 */
final class JsonCursor {
  /** Raised for a value of the wrong type or a missing field; the message names the JSON path. */
  static final class ShapeException extends Exception {
    ShapeException(String message) {
      super(message);
    }
  }

  /** Reads the value of one field; the parser is on the value's first token. */
  interface FieldReader {
    void read(String name) throws IOException, ShapeException;
  }

  /** Reads one array element; the parser is on the element's first token. */
  interface ElementReader {
    void read(int index) throws IOException, ShapeException;
  }

  private final JsonParser parser;
  // The path from the root to the current value, one level per entry: a field name, or (when the name is
  // null) an array index. Kept as arrays so that no string is built unless an error needs the path.
  private String[] pathNames = new String[16];
  private int[] pathIndexes = new int[16];
  private int depth;

  JsonCursor(JsonParser parser) {
    this.parser = parser;
  }

  /** Moves to the next token; end of input inside a document is reported by Jackson as truncation. */
  JsonToken next() throws IOException {
    return parser.nextToken();
  }

  JsonToken current() {
    return parser.currentToken();
  }

  /** The fields an object must have; made once per object kind (checking them allocates nothing). */
  static final class RequiredFields {
    static final RequiredFields NONE = new RequiredFields();
    private final String[] names;

    RequiredFields(String... names) {
      if (names.length > 64) {
        throw new IllegalArgumentException("at most 64 required fields");
      }
      this.names = names.clone();
    }

    private long bitOf(String name) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(name)) {
          return 1L << i;
        }
      }
      return 0;
    }
  }

  /**
   * Reads an object field by field; fields not in {@code required} may be absent. Unknown fields are skipped
   * by the reader (adding an optional field is not a version change).
   */
  void readObject(RequiredFields required, FieldReader reader) throws IOException, ShapeException {
    expect(JsonToken.START_OBJECT, "an object");
    long seen = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = PrintableText.of(parser.currentName()); // names reach messages through the JSON path
      parser.nextToken();
      push(name, -1);
      reader.read(name);
      depth--;
      seen |= required.bitOf(name);
    }
    for (int i = 0; i < required.names.length; i++) {
      if ((seen & (1L << i)) == 0) {
        throw new ShapeException("missing field " + here() + "." + required.names[i]);
      }
    }
  }

  /** Reads an array element by element. */
  void readArray(ElementReader reader) throws IOException, ShapeException {
    expect(JsonToken.START_ARRAY, "an array");
    int index = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      push(null, index);
      reader.read(index);
      depth--;
      index++;
    }
  }

  /** Skips the current value and everything inside it. */
  void skip() throws IOException {
    parser.skipChildren();
  }

  long readLong() throws IOException, ShapeException {
    expect(JsonToken.VALUE_NUMBER_INT, "an integer");
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new ShapeException("integer out of range at " + here());
    }
    return parser.getLongValue();
  }

  /** An integer that must fit in an {@code int} and be at least {@code min}. */
  int readInt(int min) throws IOException, ShapeException {
    long value = readLong();
    if (value < min || value > Integer.MAX_VALUE) {
      throw new ShapeException("value " + value + " out of range at " + here());
    }
    return (int) value;
  }

  /** A time in microseconds, within {@link ReadLimits#checkTime(long)}. */
  long readTime() throws IOException, ShapeException {
    long value = readLong();
    String problem = ReadLimits.checkTime(value);
    if (problem != null) {
      throw invalid(problem);
    }
    return value;
  }

  /** A memory figure in bytes or null, within {@link ReadLimits#checkMemory(long)}. */
  Long readNullableMemory() throws IOException, ShapeException {
    if (parser.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    long value = readLong();
    String problem = ReadLimits.checkMemory(value);
    if (problem != null) {
      throw invalid(problem);
    }
    return value;
  }

  Integer readNullableInt(int min) throws IOException, ShapeException {
    return parser.currentToken() == JsonToken.VALUE_NULL ? null : readInt(min);
  }

  /** A string, with control characters escaped ({@link PrintableText}): it may end up in any message. */
  String readString() throws IOException, ShapeException {
    expect(JsonToken.VALUE_STRING, "a string");
    return PrintableText.of(parser.getText());
  }

  String readNullableString() throws IOException, ShapeException {
    return parser.currentToken() == JsonToken.VALUE_NULL ? null : readString();
  }

  boolean readBoolean() throws IOException, ShapeException {
    JsonToken token = parser.currentToken();
    if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
      throw wrongType("a boolean");
    }
    return token == JsonToken.VALUE_TRUE;
  }

  /** Fails unless the current token is {@code token}. */
  void expect(JsonToken token, String what) throws ShapeException {
    if (parser.currentToken() != token) {
      throw wrongType(what);
    }
  }

  /** A type error at the current path. */
  ShapeException wrongType(String expected) {
    return new ShapeException(
        "wrong type at " + here() + ": expected " + expected + ", found " + describe(parser.currentToken()));
  }

  /** Any other problem with the value at the current path. */
  ShapeException invalid(String problem) {
    return new ShapeException(problem + " at " + here());
  }

  /** The JSON path of the value being read, e.g. {@code $.callTree.nodes[7]}. */
  String here() {
    StringBuilder path = new StringBuilder("$");
    for (int level = 0; level < depth; level++) {
      if (pathNames[level] != null) {
        path.append('.').append(pathNames[level]);
      } else {
        path.append('[').append(pathIndexes[level]).append(']');
      }
    }
    return path.toString();
  }

  private void push(String name, int index) {
    if (depth == pathNames.length) {
      pathNames = Arrays.copyOf(pathNames, depth * 2);
      pathIndexes = Arrays.copyOf(pathIndexes, depth * 2);
    }
    pathNames[depth] = name;
    pathIndexes[depth] = index;
    depth++;
  }

  private static String describe(JsonToken token) {
    if (token == null) {
      return "end of input";
    }
    switch (token) {
      case START_OBJECT: return "an object";
      case START_ARRAY: return "an array";
      case VALUE_STRING: return "a string";
      case VALUE_NUMBER_INT: return "an integer";
      case VALUE_NUMBER_FLOAT: return "a decimal number";
      case VALUE_TRUE:
      case VALUE_FALSE: return "a boolean";
      case VALUE_NULL: return "null";
      default: return token.asString() == null ? token.name() : "'" + token.asString() + "'";
    }
  }
}
