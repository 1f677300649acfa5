package dev.coldspy.profile;

/**
 * The bounds every reader keeps whatever a file says, so that a hostile or corrupt profile ends in a one-line
 * error within seconds and a bounded heap instead of exhausting memory, the stack or the CPU. Each bound is
 * far beyond what a real profile reaches (the largest golden profile is 1.4 MB; a research pickle is 20-80 KB).
 */
final class ReadLimits {
  private ReadLimits() {}

  /**
   * Largest profile file read (any kind): 8 times the 1,000,000-sample benchmark profile. The densest JSON (a
   * call tree of bare nodes) needs about 5 bytes of heap per byte of file, so a profile at the cap still reads
   * within a 512 MB heap.
   */
  static final long MAX_FILE_BYTES = 64L << 20;

  /**
   * Largest estimated memory the unpickler may build from a pickle. Pickles are compact (one byte can
   * create a dict), so their size alone does not bound the heap; the pre-scan adds up what each opcode
   * allocates.
   */
  static final long MAX_PICKLE_DECODED_BYTES = 128L << 20;

  /**
   * Most nodes a pickled call tree may have once shared sub-dicts are counted at every place they occur
   * (a real research profile has a few thousand).
   */
  static final int MAX_CALL_TREE_NODES = 1_000_000;

  /** Longest integer written as text (pickle INT/LONG/FLOAT opcodes, importtime numbers), in characters. */
  static final int MAX_TEXT_NUMBER_CHARS = 64;

  /** Longest binary integer in a pickle (LONG1/LONG4), in bytes. */
  static final int MAX_BINARY_INTEGER_BYTES = 64;

  /** How much of the end of an importtime log line is looked at (a record, at the end, is a few dozen bytes). */
  static final int MAX_LOG_LINE_CHARS = 8192;

  /** Longest string in a JSON profile, in characters. */
  static final int MAX_JSON_STRING_CHARS = 1 << 20;

  /** Deepest nesting of a JSON profile (the format nests six levels). */
  static final int MAX_JSON_DEPTH = 256;

  /**
   * Largest time, in microseconds, of a module, cold start or invocation: one day. Longer is not a
   * measurement but a corrupt value, and sums of such values would overflow.
   */
  static final long MAX_TIME_US = 86_400_000_000L;

  /** Largest memory figure (peak RSS, RSS growth), in bytes, either sign: one pebibyte. */
  static final long MAX_MEMORY_BYTES = 1L << 50;

  /** The problem to report for a negative time or one beyond {@link #MAX_TIME_US}, or null when it is fine. */
  static String checkTime(long microseconds) {
    if (microseconds < 0) {
      return "negative time " + microseconds + " us";
    }
    return microseconds > MAX_TIME_US
        ? "time " + microseconds + " us is beyond one day (" + MAX_TIME_US + " us), not a real measurement" : null;
  }

  /** The problem to report for a memory figure beyond {@link #MAX_MEMORY_BYTES}, or null when it is within. */
  static String checkMemory(long bytes) {
    return bytes > MAX_MEMORY_BYTES || bytes < -MAX_MEMORY_BYTES
        ? "memory figure " + bytes + " bytes is beyond 1 PiB, not a real measurement" : null;
  }
}
