package dev.coldspy.profile;

/**
 * Text from a profile made safe to print: control characters (C0, DEL, C1) and the bidirectional-override
 * characters that reorder what a terminal or editor shows are replaced by visible escapes ({@code \x1b},
 * {@code \u202e}), so a profile cannot move the cursor, clear the screen or disguise a message. The readers
 * apply it to every string they take from a file and to every error they raise.
 */
public final class PrintableText {
  private PrintableText() {}

  /** {@code text} with every control or bidi-override character escaped; the same instance when there is none. */
  public static String of(String text) {
    if (text == null) {
      return null;
    }
    int first = 0;
    while (first < text.length() && !needsEscape(text.charAt(first))) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 8).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!needsEscape(c)) {
        escaped.append(c);
      } else if (c <= 0xff) {
        escaped.append(String.format("\\x%02x", (int) c));
      } else {
        escaped.append(String.format("\\u%04x", (int) c));
      }
    }
    return escaped.toString();
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f)
        || c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
  }
}
