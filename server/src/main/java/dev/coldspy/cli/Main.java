package dev.coldspy.cli;

/** Entry point of {@code coldspy.jar}; the subcommands are added by the engine and server work. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.err.println("coldspy: no command implemented yet");
    System.exit(2);
  }
}
