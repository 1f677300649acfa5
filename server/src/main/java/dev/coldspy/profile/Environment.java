package dev.coldspy.profile;

/**
 * The interpreter and machine a profile was recorded on. Fields a format does not record are null.
 *
 * @param pythonVersion e.g. {@code "3.11.7"}; for pickles only {@code "3.11"} as read from stdlib paths
 * @param implementation e.g. {@code "CPython"}
 * @param platform e.g. {@code "Linux-6.1-x86_64"}
 * @param machine e.g. {@code "x86_64"}
 * @param lambda true when recorded inside AWS Lambda
 * @param memoryLimitMb Lambda's configured memory, or null
 * @param cacheTag the tag of the {@code __pycache__/<module>.<tag>.pyc} files the interpreter reads and writes
 *     ({@code "cpython-311"}), or null when not recorded or the interpreter uses no bytecode caches
 * @param dontWriteBytecode true when the interpreter did not write {@code .pyc} files ({@code -B},
 *     {@code PYTHONDONTWRITEBYTECODE}); null when not recorded
 * @param pycachePrefix {@code sys.pycache_prefix}, a separate cache tree, or null
 * @param initializationType inside Lambda, how the environment was initialised ({@code "on-demand"},
 *     {@code "provisioned-concurrency"}, {@code "snap-start"}, {@code "lambda-managed-instances"}), or null when not
 *     recorded
 */
public record Environment(
    String pythonVersion,
    String implementation,
    String platform,
    String machine,
    boolean lambda,
    Integer memoryLimitMb,
    String cacheTag,
    Boolean dontWriteBytecode,
    String pycachePrefix,
    String initializationType) {

  /** Nothing known about the environment. */
  public static final Environment UNKNOWN = new Environment(null, null, null, null, false, null);

  /** An environment recorded without the bytecode fields (older agents, other formats). */
  public Environment(String pythonVersion, String implementation, String platform, String machine, boolean lambda,
      Integer memoryLimitMb) {
    this(pythonVersion, implementation, platform, machine, lambda, memoryLimitMb, null, null, null);
  }

  /** An environment recorded without its initialisation type (outside Lambda, older agents). */
  public Environment(String pythonVersion, String implementation, String platform, String machine, boolean lambda,
      Integer memoryLimitMb, String cacheTag, Boolean dontWriteBytecode, String pycachePrefix) {
    this(pythonVersion, implementation, platform, machine, lambda, memoryLimitMb, cacheTag, dontWriteBytecode,
        pycachePrefix, null);
  }

  /**
   * True for a Lambda environment restored from a SnapStart snapshot: its init ran once, when the snapshot was
   * made, for every environment restored from it; its cold start was a restore.
   */
  public boolean restoredFromSnapshot() {
    return "snap-start".equals(initializationType);
  }

  /**
   * True for a Lambda environment whose init ran before any request was routed to it (provisioned concurrency, a
   * worker process of Lambda Managed Instances): no caller waited for it.
   */
  public boolean initializedAheadOfRequests() {
    return "provisioned-concurrency".equals(initializationType)
        || "lambda-managed-instances".equals(initializationType);
  }
}
