package dev.coldspy.text;

/** A range of {@link LspPosition}s, end exclusive. */
public record LspRange(LspPosition start, LspPosition end) {}
