package dev.coldspy.lsp;

/** Commands the server executes ({@code workspace/executeCommand}) or puts on code lenses. */
final class Commands {
  /** Run the profiler for a handler; argument: {@code {"handler": "handler.py:handler", ...}}. */
  static final String PROFILE = "coldspy.profile";

  private Commands() {}
}
