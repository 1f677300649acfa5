package dev.coldspy.text;

/** A position as the Language Server Protocol counts it: 0-based line, 0-based UTF-16 code-unit column. */
public record LspPosition(int line, int character) {}
