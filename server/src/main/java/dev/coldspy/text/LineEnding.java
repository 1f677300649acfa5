package dev.coldspy.text;

/** The three line terminators Python (universal newlines) and LSP both accept. */
public enum LineEnding {
  LF("\n"),
  CRLF("\r\n"),
  CR("\r");

  private final String text;

  LineEnding(String text) {
    this.text = text;
  }

  /** The terminator characters. */
  public String text() {
    return text;
  }
}
