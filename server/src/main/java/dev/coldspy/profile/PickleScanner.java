package dev.coldspy.profile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks a pickle's opcode stream, without building anything, before razorvine's unpickler reads it. The
 * unpickler trusts its input: it allocates whatever length a string declares, parses numbers of any length
 * (quadratic in their digits), builds objects from {@code GLOBAL}/{@code REDUCE}, and hashes whatever it is
 * given as a dict key (a list that contains itself recurses until the stack overflows). This pass walks the
 * opcodes once, linearly, and refuses a pickle that:
 * <ul>
 *   <li>uses an opcode that names code ({@code GLOBAL}, {@code REDUCE}, {@code BUILD}, ...) or out-of-band
 *       data: a ColdSpy profile holds only dicts, lists, tuples, sets, strings, bytes and numbers;
 *   <li>declares a length beyond the bytes left in the file, or ends before its {@code STOP};
 *   <li>writes a number longer than {@link ReadLimits#MAX_TEXT_NUMBER_CHARS} characters or
 *       {@link ReadLimits#MAX_BINARY_INTEGER_BYTES} bytes;
 *   <li>uses a list, dict or set as a dict key or set item (Python cannot pickle that; the Java collections would
 *       hash it recursively), or applies an opcode to the wrong kind of object, or a memo entry never stored;
 *   <li>would make the unpickler allocate more than {@link ReadLimits#MAX_PICKLE_DECODED_BYTES} (estimated per
 *       opcode from what razorvine builds for it).
 * </ul>
 * The kinds of the objects on the unpickler's stack and in its memo are tracked, not the objects.
 */
final class PickleScanner {
  // What the unpickler builds; only the first two can be hashed without recursion.
  private static final byte SCALAR = 0;
  private static final byte TUPLE = 1;
  private static final byte LIST = 2;
  private static final byte DICT = 3;
  private static final byte SET = 4;
  private static final byte MARK = 5;
  private static final String[] KIND_NAMES = {"scalar", "tuple", "list", "dict", "set", "mark"};

  /** Highest pickle protocol (Python 3.8+ writes 5). */
  private static final int HIGHEST_PROTOCOL = 5;

  // Approximate heap bytes razorvine allocates (64-bit JVM, compressed references).
  private static final int OBJECT_COST = 24;
  private static final int REFERENCE_COST = 8;
  private static final int ENTRY_COST = 48; // a HashMap node with its share of the table
  private static final int MEMO_COST = 64; // a memo entry: node, boxed key, table share

  private final Path path;
  private final byte[] data;
  private int position;
  private byte[] stack = new byte[64];
  private int size;
  private int[] marks = new int[16];
  private int markCount;
  private final Map<Integer, Byte> memo = new HashMap<>();
  private long estimatedBytes;

  private PickleScanner(Path path, byte[] data) {
    this.path = path;
    this.data = data;
  }

  /** Returns when {@code data} is a pickle the unpickler can read safely; else the reason, naming the file. */
  static void check(Path path, byte[] data) throws ProfileFormatException {
    new PickleScanner(path, data).scan();
  }

  private void scan() throws ProfileFormatException {
    while (true) {
      int at = position;
      int opcode = unsigned(1);
      switch (opcode) {
        case '(' -> pushMark();
        case '.' -> {
          if (peek(at) == MARK) {
            throw unreadable("STOP at byte " + at + " finds a mark instead of the pickled object");
          }
          return;
        }
        case '0' -> pop(at);
        case '1' -> popToMark(at);
        case '2' -> {
          if (peek(at) == MARK) {
            throw unreadable("DUP of a mark at byte " + at);
          }
          push(peek(at), REFERENCE_COST);
        }
        case 'I', 'L', 'F' -> {
          textNumber(at);
          push(SCALAR, OBJECT_COST * 2);
        }
        case 'J' -> scalar(4, at);
        case 'K' -> scalar(1, at);
        case 'h' -> get(unsigned(1), at);
        case 'q' -> put(unsigned(1), at);
        case 'M' -> scalar(2, at);
        case 'N', 0x88, 0x89 -> push(SCALAR, 0);
        case 'G' -> scalar(8, at);
        case 'S', 'V' -> {
          int start = position;
          position = lineEnd() + 1;
          // The line, its unescaped copy and the string (up to two bytes per character).
          push(SCALAR, OBJECT_COST * 3 + 5L * (position - start));
        }
        case 'T', 'X', 'B' -> bytes(signedInt(), at);
        case 'U', 0x8c, 'C' -> bytes(unsigned(1), at);
        case 0x8d, 0x8e, 0x96 -> bytes(long8(), at);
        case 0x8a, 0x8b -> {
          long length = opcode == 0x8a ? unsigned(1) : signedInt();
          if (length < 0 || length > ReadLimits.MAX_BINARY_INTEGER_BYTES) {
            throw unreadable("an integer of " + length + " bytes at byte " + at + " (the limit is "
                + ReadLimits.MAX_BINARY_INTEGER_BYTES + ")");
          }
          skip(length, at);
          push(SCALAR, OBJECT_COST * 2 + length);
        }
        case 'a' -> {
          pop(at);
          expectTop(LIST, "APPEND", at);
          cost(REFERENCE_COST);
        }
        case 'e' -> {
          int items = popToMark(at);
          expectTop(LIST, "APPENDS", at);
          cost((long) REFERENCE_COST * items);
        }
        case 'l' -> push(LIST, OBJECT_COST * 2 + (long) REFERENCE_COST * popToMark(at));
        case ']' -> push(LIST, OBJECT_COST * 2);
        case 'd' -> {
          int items = popHashableKeysToMark(2, at);
          push(DICT, OBJECT_COST * 2 + (long) ENTRY_COST * items / 2);
        }
        case '}' -> push(DICT, OBJECT_COST * 2);
        case 's' -> {
          pop(at);
          hashable(pop(at), at);
          expectTop(DICT, "SETITEM", at);
          cost(ENTRY_COST);
        }
        case 'u' -> {
          int items = popHashableKeysToMark(2, at);
          expectTop(DICT, "SETITEMS", at);
          cost((long) ENTRY_COST * items); // a temporary dict of the new items, then the items in the dict
        }
        case 't' -> push(TUPLE, OBJECT_COST + (long) REFERENCE_COST * popToMark(at));
        case ')' -> push(TUPLE, OBJECT_COST);
        case 0x85, 0x86, 0x87 -> {
          int items = opcode - 0x84;
          for (int i = 0; i < items; i++) {
            pop(at);
          }
          push(TUPLE, OBJECT_COST + (long) REFERENCE_COST * items);
        }
        case 0x8f -> push(SET, OBJECT_COST * 3);
        case 0x90 -> {
          int items = popHashableKeysToMark(1, at);
          if (pop(at) != SET) {
            throw unreadable("ADDITEMS at byte " + at + " does not apply to a set");
          }
          push(SET, (long) ENTRY_COST * items);
        }
        case 0x91 -> push(SET, OBJECT_COST * 3 + (long) ENTRY_COST * popHashableKeysToMark(1, at));
        case 'g' -> get(memoIndex(at), at);
        case 'j' -> get((int) signedInt(), at);
        case 'p' -> put(memoIndex(at), at);
        case 'r' -> put((int) signedInt(), at);
        case 0x94 -> put(memo.size(), at);
        case 0x80 -> {
          int protocol = unsigned(1);
          if (protocol > HIGHEST_PROTOCOL) {
            throw unreadable("unsupported pickle protocol " + protocol);
          }
        }
        case 0x95 -> skip(8, at); // FRAME: a length hint for buffered readers
        case 'c', 'i', 'o', 'R', 'b', 0x81, 0x92, 0x93, 0x82, 0x83, 0x84, 'P', 'Q', 0x97, 0x98 ->
            throw unreadable("opcode " + printable(opcode) + " at byte " + at + " loads or builds Python objects;"
                + " a profile holds only dicts, lists, tuples, strings and numbers");
        default -> throw unreadable("byte " + printable(opcode) + " at byte " + at + " is not a pickle opcode");
      }
    }
  }

  private void scalar(int argumentBytes, int at) throws ProfileFormatException {
    skip(argumentBytes, at);
    push(SCALAR, OBJECT_COST);
  }

  /** A string or bytes of a declared length, which must be within the file. */
  private void bytes(long length, int at) throws ProfileFormatException {
    if (length < 0) {
      throw unreadable("negative length " + length + " at byte " + at);
    }
    skip(length, at);
    // The bytes, the decoded string (up to two bytes per character) and the object headers.
    push(SCALAR, OBJECT_COST * 2 + 3 * length);
  }

  /** The text argument of INT, LONG or FLOAT, which must be short. */
  private void textNumber(int at) throws ProfileFormatException {
    int end = position;
    int limit = Math.min(data.length, position + ReadLimits.MAX_TEXT_NUMBER_CHARS + 2); // digits, 'L', newline
    while (end < limit && data[end] != '\n') {
      end++;
    }
    if (end == limit) {
      if (limit == data.length) {
        throw truncated();
      }
      throw unreadable("a number written with more than " + ReadLimits.MAX_TEXT_NUMBER_CHARS
          + " characters at byte " + at);
    }
    position = end + 1;
  }

  /** Where the newline ending a text argument is. */
  private int lineEnd() throws ProfileFormatException {
    int end = position;
    while (end < data.length && data[end] != '\n') {
      end++;
    }
    if (end == data.length) {
      throw truncated();
    }
    return end;
  }

  /** The decimal memo index of a text GET or PUT. */
  private int memoIndex(int at) throws ProfileFormatException {
    int end = lineEnd();
    String digits = new String(data, position, Math.min(end - position, 10), StandardCharsets.ISO_8859_1);
    position = end + 1;
    if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw unreadable("memo index at byte " + at + " is not a number below 10^9");
    }
    return Integer.parseInt(digits);
  }

  private void get(int index, int at) throws ProfileFormatException {
    Byte kind = memo.get(index);
    if (kind == null) {
      throw unreadable("memo entry " + index + " read at byte " + at + " was never stored");
    }
    push(kind, REFERENCE_COST);
  }

  private void put(int index, int at) throws ProfileFormatException {
    byte kind = peek(at);
    if (kind == MARK) {
      throw unreadable("memo store at byte " + at + " of a mark");
    }
    memo.put(index, kind);
    cost(MEMO_COST);
  }

  private void pushMark() throws ProfileFormatException {
    if (markCount == marks.length) {
      marks = Arrays.copyOf(marks, markCount * 2);
    }
    marks[markCount++] = size;
    push(MARK, REFERENCE_COST);
  }

  private void push(byte kind, long allocates) throws ProfileFormatException {
    if (size == stack.length) {
      stack = Arrays.copyOf(stack, size * 2);
    }
    stack[size++] = kind;
    cost(allocates + REFERENCE_COST);
  }

  private byte peek(int at) throws ProfileFormatException {
    if (size == 0) {
      throw unreadable("opcode at byte " + at + " finds the stack empty");
    }
    return stack[size - 1];
  }

  private byte pop(int at) throws ProfileFormatException {
    byte kind = peek(at);
    size--;
    if (kind == MARK) {
      markCount--;
    }
    return kind;
  }

  /** Pops the items above the last mark and the mark; returns how many items there were. */
  private int popToMark(int at) throws ProfileFormatException {
    if (markCount == 0) {
      throw unreadable("opcode at byte " + at + " needs a mark and there is none");
    }
    int mark = marks[--markCount];
    int items = size - mark - 1;
    size = mark;
    return items;
  }

  /**
   * Pops the items above the last mark and the mark, checking that every {@code stride}-th item from the first
   * (the keys of key/value pairs, or every item of a set) can be hashed; returns how many items there were.
   */
  private int popHashableKeysToMark(int stride, int at) throws ProfileFormatException {
    if (markCount == 0) {
      throw unreadable("opcode at byte " + at + " needs a mark and there is none");
    }
    int first = marks[markCount - 1] + 1;
    if ((size - first) % stride != 0) {
      throw unreadable("opcode at byte " + at + " pairs keys with values but has an odd number of items");
    }
    for (int i = first; i < size; i += stride) {
      hashable(stack[i], at);
    }
    return popToMark(at);
  }

  private void hashable(byte kind, int at) throws ProfileFormatException {
    if (kind != SCALAR && kind != TUPLE) {
      throw unreadable("a " + KIND_NAMES[kind] + " used as a dict key or set item at byte " + at
          + " (Python cannot pickle that)");
    }
  }

  private void expectTop(byte kind, String opcode, int at) throws ProfileFormatException {
    if (peek(at) != kind) {
      throw unreadable(opcode + " at byte " + at + " applies to a " + KIND_NAMES[peek(at)] + ", not a "
          + KIND_NAMES[kind]);
    }
  }

  private void cost(long bytes) throws ProfileFormatException {
    estimatedBytes += bytes;
    if (estimatedBytes > ReadLimits.MAX_PICKLE_DECODED_BYTES) {
      throw unreadable("decoding it would take more than " + (ReadLimits.MAX_PICKLE_DECODED_BYTES >> 20)
          + " MB of memory (reached at byte " + position + ")");
    }
  }

  private void skip(long length, int at) throws ProfileFormatException {
    if (length > data.length - position) {
      throw new ProfileFormatException(path, "truncated pickle: the file ends before the pickle does (the item at"
          + " byte " + at + " declares " + length + " bytes, " + (data.length - position) + " remain)");
    }
    position += (int) length;
  }

  /** A little-endian unsigned integer of up to 3 bytes (4 bytes give a signed int). */
  private int unsigned(int bytes) throws ProfileFormatException {
    if (bytes > data.length - position) {
      throw truncated();
    }
    int value = 0;
    for (int i = bytes - 1; i >= 0; i--) {
      value = (value << 8) | (data[position + i] & 0xff);
    }
    position += bytes;
    return value;
  }

  /** A little-endian signed 4-byte integer. */
  private long signedInt() throws ProfileFormatException {
    return unsigned(4);
  }

  /** A little-endian 8-byte length; negative when it does not fit a signed long. */
  private long long8() throws ProfileFormatException {
    if (8 > data.length - position) {
      throw truncated();
    }
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (data[position + i] & 0xff);
    }
    position += 8;
    return value;
  }

  private static String printable(int opcode) {
    return opcode >= 0x21 && opcode < 0x7f ? "'" + (char) opcode + "'" : String.format("0x%02x", opcode);
  }

  private ProfileFormatException truncated() {
    return new ProfileFormatException(path, "truncated pickle: the file ends before the pickle does");
  }

  private ProfileFormatException unreadable(String problem) {
    return new ProfileFormatException(path, "not a readable pickle: " + problem);
  }
}
