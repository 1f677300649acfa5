package dev.coldspy.rules;

/** Severity of a finding, mapped by each front end to its own scale (LSP, SARIF level, CLI). */
public enum Severity {
  ERROR,
  WARNING,
  INFO,
  HINT
}
