package dev.coldspy.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Python language version such as 3.11, ordered numerically (3.9 before 3.10). */
public record PythonVersion(int major, int minor) implements Comparable<PythonVersion> {
  /**
   * The Python the code must run on when neither the settings nor the profiles say: the oldest one AWS Lambda
   * still runs, so that no fix needs a newer one than the deployment has.
   */
  public static final PythonVersion DEFAULT_TARGET = new PythonVersion(3, 10);
  /** The first Python with PEP 810 explicit lazy imports. */
  public static final PythonVersion PEP_810 = new PythonVersion(3, 15);
  private static final Pattern FORM = Pattern.compile("(\\d+)\\.(\\d+)");

  /** Parses "3.11"; throws {@link IllegalArgumentException} naming the text when it is not X.Y. */
  public static PythonVersion parse(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Python version of the form X.Y: '" + text + "'");
    }
    return new PythonVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  @Override
  public int compareTo(PythonVersion other) {
    return major != other.major
        ? Integer.compare(major, other.major)
        : Integer.compare(minor, other.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
