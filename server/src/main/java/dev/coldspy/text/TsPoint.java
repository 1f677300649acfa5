package dev.coldspy.text;

/** A tree-sitter point: 0-based row and a column counted in UTF-8 bytes from the start of the row. */
public record TsPoint(int row, int byteColumn) {}
