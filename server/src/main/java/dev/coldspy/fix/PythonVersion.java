package dev.coldspy.fix;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Python {@code major.minor} version, e.g. the target version a project deploys to. */
public record PythonVersion(int major, int minor) implements Comparable<PythonVersion> {
  /** The first version with PEP 810 explicit lazy imports. */
  public static final PythonVersion PEP_810 = new PythonVersion(3, 15);

  private static final Pattern VERSION = Pattern.compile("\\s*(?:py|python)?\\s*(\\d+)\\.?(\\d+)?.*", Pattern.CASE_INSENSITIVE);

  /** Parses {@code "3.12"}, {@code "3.15.0"}, {@code "py313"}; throws {@link IllegalArgumentException} otherwise. */
  public static PythonVersion parse(String text) {
    Matcher m = VERSION.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Python version: '" + text + "' (expected e.g. 3.12)");
    }
    String digits = m.group(1);
    if (m.group(2) != null) {
      return new PythonVersion(Integer.parseInt(digits), Integer.parseInt(m.group(2)));
    }
    // "py313" / "313": first digit is the major version
    if (digits.length() < 2) {
      return new PythonVersion(Integer.parseInt(digits), 0);
    }
    return new PythonVersion(Integer.parseInt(digits.substring(0, 1)), Integer.parseInt(digits.substring(1)));
  }

  public boolean atLeast(PythonVersion other) {
    return compareTo(other) >= 0;
  }

  @Override
  public int compareTo(PythonVersion other) {
    return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
