package dev.coldspy.python;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code # noqa} comment on an import statement: bare ({@code # noqa}) silences every code, {@code # noqa:
 * CS101, CS102} only the listed ones (ruff/flake8 syntax, codes case-insensitive).
 */
public record Noqa(boolean all, Set<String> codes) {
  public static final Noqa NONE = new Noqa(false, Set.of());
  private static final Pattern NOQA =
      Pattern.compile("#\\s*noqa(?::\\s*([A-Za-z]+[0-9]+(?:[\\s,]+[A-Za-z]+[0-9]+)*))?", Pattern.CASE_INSENSITIVE);

  /** The noqa directive in a comment's text, or {@link #NONE}. */
  public static Noqa parse(String comment) {
    Matcher m = NOQA.matcher(comment);
    if (!m.find()) {
      return NONE;
    }
    if (m.group(1) == null) {
      return new Noqa(true, Set.of());
    }
    Set<String> codes = new TreeSet<>();
    for (String code : m.group(1).split("[\\s,]+")) {
      codes.add(code.toUpperCase(Locale.ROOT));
    }
    return new Noqa(false, Set.copyOf(codes));
  }

  public boolean isPresent() {
    return all || !codes.isEmpty();
  }

  /** Whether a finding with {@code code} (e.g. {@code CS101}) is silenced. */
  public boolean suppresses(String code) {
    return all || codes.contains(code.toUpperCase(Locale.ROOT));
  }

  Noqa merge(Noqa other) {
    if (all || other.all) {
      return new Noqa(true, Set.of());
    }
    Set<String> union = new TreeSet<>(codes);
    union.addAll(other.codes);
    return union.isEmpty() ? NONE : new Noqa(false, Set.copyOf(union));
  }
}
