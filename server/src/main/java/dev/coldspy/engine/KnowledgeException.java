package dev.coldspy.engine;

/** A knowledge file that cannot be used; the message names the file and the problem in one line. */
public final class KnowledgeException extends Exception {
  public KnowledgeException(String message) {
    super(message);
  }
}
