package dev.coldspy.text;

/**
 * A half-open range {@code [start, end)} of UTF-16 code-unit offsets into a {@link SourceText} (Java string
 * indices). Every range inside ColdSpy is a {@code Span}; other coordinate systems are derived from it by
 * {@link SourceText}.
 */
public record Span(int start, int end) implements Comparable<Span> {
  public Span {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
  }

  public static Span empty(int offset) {
    return new Span(offset, offset);
  }

  public int length() {
    return end - start;
  }

  public boolean isEmpty() {
    return start == end;
  }

  /** Whether {@code other} lies inside this span (boundaries included). */
  public boolean contains(Span other) {
    return start <= other.start && other.end <= end;
  }

  public boolean contains(int offset) {
    return start <= offset && offset < end;
  }

  public boolean overlaps(Span other) {
    return start < other.end && other.start < end;
  }

  @Override
  public int compareTo(Span other) {
    return start != other.start ? Integer.compare(start, other.start) : Integer.compare(end, other.end);
  }

  @Override
  public String toString() {
    return "[" + start + "," + end + ")";
  }
}
