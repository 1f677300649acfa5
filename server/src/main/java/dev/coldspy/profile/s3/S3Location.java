package dev.coldspy.profile.s3;

import dev.coldspy.profile.PrintableText;
import java.util.Objects;

/**
 * Where collected profiles are: {@code s3://bucket/prefix}. The prefix is a folder: {@code s3://b/prod/fn}
 * means the object {@code prod/fn} itself and every object under {@code prod/fn/}, not {@code prod/fn2/...}.
 *
 * @param bucket the bucket name
 * @param prefix the key prefix without leading or trailing slashes, empty for the whole bucket
 */
public record S3Location(String bucket, String prefix) {
  private static final String SCHEME = "s3://";

  public S3Location {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
  }

  /** True when {@code text} is meant as an S3 location (it starts with {@code s3://}). */
  public static boolean isS3(String text) {
    return text.startsWith(SCHEME);
  }

  /**
   * Parses {@code s3://bucket/prefix}.
   *
   * @throws IllegalArgumentException with a one-line message naming the text when it is not such a URI
   */
  public static S3Location parse(String uri) {
    if (!isS3(uri)) {
      throw new IllegalArgumentException(PrintableText.of(uri) + ": not an s3://bucket/prefix URI");
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException(PrintableText.of(uri) + ": names no bucket (expected s3://bucket/prefix)");
    }
    String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
    return new S3Location(bucket, prefix);
  }

  /** True when {@code key} is this location's object or an object under its folder. */
  boolean contains(String key) {
    return prefix.isEmpty() || key.equals(prefix) || key.startsWith(prefix + "/");
  }

  /** {@code s3://bucket/key}, safe to print (a key may hold control characters). */
  String uriOf(String key) {
    return PrintableText.of(SCHEME + bucket + "/" + key);
  }

  @Override
  public String toString() {
    return PrintableText.of(prefix.isEmpty() ? SCHEME + bucket : SCHEME + bucket + "/" + prefix);
  }
}
