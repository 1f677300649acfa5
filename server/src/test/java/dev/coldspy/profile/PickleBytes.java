package dev.coldspy.profile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, for pickles no pickler writes (cycles, shared nodes, lying lengths). */
final class PickleBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int memoized;

  PickleBytes proto(int version) {
    return op(0x80).op(version);
  }

  PickleBytes op(int opcode) {
    out.write(opcode);
    return this;
  }

  PickleBytes mark() {
    return op('(');
  }

  PickleBytes emptyDict() {
    return op('}');
  }

  PickleBytes emptyList() {
    return op(']');
  }

  PickleBytes memoize() {
    memoized++;
    return op(0x94);
  }

  /** The memo index the last {@link #memoize()} stored at. */
  int lastMemo() {
    return memoized - 1;
  }

  /** BINGET of a memo entry below 256. */
  PickleBytes get(int memoIndex) {
    return op('h').op(memoIndex);
  }

  PickleBytes string(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > 255) {
      throw new IllegalArgumentException("SHORT_BINUNICODE holds up to 255 bytes");
    }
    op(0x8c).op(utf8.length);
    out.writeBytes(utf8);
    return this;
  }

  /** BININT: a little-endian signed 4-byte integer. */
  PickleBytes integer(int value) {
    op('J');
    for (int i = 0; i < 4; i++) {
      out.write(value >>> (8 * i));
    }
    return this;
  }

  /** LONG1 of eight bytes: a little-endian signed long. */
  PickleBytes longInteger(long value) {
    op(0x8a).op(8);
    for (int i = 0; i < 8; i++) {
      out.write((int) (value >>> (8 * i)));
    }
    return this;
  }

  PickleBytes raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  /**
   * Opens a call-tree node {@code {'frame': (file, function, line), 'samples': n, 'children': {...}}}, memoized;
   * its children follow as {@code string(key)}, the child, {@code op('s')}; {@link #closeNode()} ends it.
   */
  PickleBytes openNode(String file, String function, int line, int samples) {
    return emptyDict().memoize().mark()
        .string("frame").string(file).string(function).integer(line).op(0x87)
        .string("samples").integer(samples)
        .string("children").emptyDict();
  }

  PickleBytes closeNode() {
    return op('u');
  }

  PickleBytes stop() {
    return op('.');
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
