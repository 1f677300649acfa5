package dev.coldspy.lsp;

/** Commands the server executes ({@code workspace/executeCommand}) or puts on code lenses. */
final class Commands {
  /** Run the profiler for a handler; argument: {@code {"handler": "handler.py:handler", ...}}. */
  static final String PROFILE = "coldspy.profile";
  /** Verify the fixes against the last commit (or the copy before the first fix); same argument as PROFILE. */
  static final String VERIFY = "coldspy.verify";
  /**
   * The client's "Profile Handler…" dialog (events, interpreter, then {@link #PROFILE}); argument: {@code
   * {"handler": "src/app.py:handler", "root": "/abs/workspace"}}. A client command: the server only puts it on
   * code lenses.
   */
  static final String PROFILE_HANDLER = "coldspy.profileHandler";

  private Commands() {}
}
