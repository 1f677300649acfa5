package dev.coldspy.profile;

/** When a module was imported. */
public enum Phase {
  /** While the handler module was being imported (the Lambda init phase). */
  INIT,
  /** While a handler call was running (a lazy import). */
  EXECUTION
}
