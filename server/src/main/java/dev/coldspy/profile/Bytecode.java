package dev.coldspy.profile;

import java.util.Objects;
import java.util.function.Function;

/**
 * How the loader got a module's code object ({@code modules[j].bytecode}, recorded by agents that write
 * {@code environment.cacheTag}).
 *
 * @param from a validated cached {@code .pyc}, the source compiled, or a {@code .pyc} without source
 * @param compileUs with {@link Source#SOURCE}: wall time compiling the source to a code object (part of the
 *     module's self time); 0 otherwise
 * @param cause with {@link Source#SOURCE}: why no valid cache was read, or null when not recorded
 * @param cacheWritten with {@link Source#SOURCE}: whether the interpreter wrote the cache file, or null when
 *     not recorded
 */
public record Bytecode(Source from, long compileUs, Cause cause, Boolean cacheWritten) {
  public Bytecode {
    Objects.requireNonNull(from, "from");
  }

  /** Where the code object came from. */
  public enum Source {
    CACHE("cache"),
    SOURCE("source"),
    SOURCELESS("sourceless");

    private final String json;

    Source(String json) {
      this.json = json;
    }

    /** The value of {@code from} in a profile, or null for a value this reader does not know. */
    public static Source fromJson(String value) {
      return byJson(values(), Source::json, value);
    }

    /** The value as the profile writes it ({@code cache}). */
    public String json() {
      return json;
    }
  }

  /** Why a module was compiled from source. */
  public enum Cause {
    /** No cache file for this interpreter and none for another. */
    NONE("none"),
    /** Only a cache of another interpreter version (another cache tag) was there. */
    OTHER_VERSION("other-version"),
    /** A cache for this interpreter was there and did not validate. */
    STALE("stale");

    private final String json;

    Cause(String json) {
      this.json = json;
    }

    /** The value as the profile writes it ({@code other-version}). */
    public String json() {
      return json;
    }

    /** The value of {@code cause} in a profile, or null for a value this reader does not know. */
    public static Cause fromJson(String value) {
      return byJson(values(), Cause::json, value);
    }
  }

  private static <E> E byJson(E[] values, Function<E, String> json, String value) {
    for (E candidate : values) {
      if (json.apply(candidate).equals(value)) {
        return candidate;
      }
    }
    return null;
  }

  /** True when the module's source was compiled in this cold start. */
  public boolean compiled() {
    return from == Source.SOURCE;
  }
}
