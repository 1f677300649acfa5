package dev.coldspy.profile;

/** The kind of file a profile was read from; it tells what the profile can and cannot know. */
public enum SourceKind {
  /** Our versioned JSON profile ({@code docs/profile-format.md}): everything the agent records. */
  JSON("ColdSpy JSON profile"),
  /**
   * A pickle written by the original ColdSpy research profiler: import times and a sampled call tree of one
   * run, no invocations, no exact usage signal, no trigger lines except those the call tree reveals.
   */
  PICKLE("original ColdSpy pickle"),
  /** A raw {@code python -X importtime} log: import times and nesting only, no samples, no trigger lines. */
  IMPORTTIME("-X importtime log");

  private final String description;

  SourceKind(String description) {
    this.description = description;
  }

  /** A short human description, e.g. "-X importtime log". */
  public String description() {
    return description;
  }
}
