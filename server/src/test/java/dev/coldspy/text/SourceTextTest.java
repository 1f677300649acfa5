package dev.coldspy.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SourceTextTest {

  @Test
  void linesEndAtLfCrlfAndLoneCr() {
    SourceText text = SourceText.of("a\nbb\r\nccc\rd");
    assertEquals(4, text.lineCount());
    assertEquals("bb", text.lineText(1));
    assertEquals("\r\n", text.lineTerminator(1));
    assertEquals("\r", text.lineTerminator(2));
    assertEquals("", text.lineTerminator(3));
    assertEquals("d", text.lineText(3));
  }

  @Test
  void trailingNewlineMakesAnEmptyLastLine() {
    SourceText text = SourceText.of("x = 1\n");
    assertEquals(2, text.lineCount());
    assertEquals("", text.lineText(1));
    assertEquals(6, text.lineStart(1));
  }

  @Test
  void dominantLineEndingIsTheMostFrequent() {
    assertEquals(LineEnding.CRLF, SourceText.of("a\r\nb\r\nc\n").dominantLineEnding());
    assertEquals(LineEnding.LF, SourceText.of("a").dominantLineEnding());
    assertEquals(LineEnding.CR, SourceText.of("a\rb\r").dominantLineEnding());
  }

  @Test
  void profileLinesAreOneBased() {
    SourceText text = SourceText.of("import os\nimport json\n");
    assertEquals("import json", text.slice(text.profileLine(2)));
    assertEquals(2, text.profileLineOfOffset(text.text().indexOf("json")));
  }

  @Test
  void lspColumnsCountUtf16CodeUnits() {
    // 'é' is 1 UTF-16 unit and 2 UTF-8 bytes; the emoji is 2 units and 4 bytes
    String src = "s = 'é😀'; import os\n";
    SourceText text = SourceText.of(src);
    int os = src.indexOf("import");
    assertEquals(new LspPosition(0, 11), text.toLsp(os));
    assertEquals(os, text.fromLsp(new LspPosition(0, 11)));
  }

  @Test
  void treeSitterColumnsCountUtf8Bytes() {
    String src = "x = 1\ns = 'é😀'; import os\n";
    SourceText text = SourceText.of(src);
    int os = src.indexOf("import");
    int byteOffset = new String(src.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1).indexOf("import");
    assertEquals(byteOffset, text.offsetToByte(os));
    assertEquals(os, text.byteToOffset(byteOffset));
    assertEquals(new TsPoint(1, 14), text.toTsPoint(os));
    assertEquals(os, text.fromTsPoint(new TsPoint(1, 14)));
  }

  @Test
  void everyOffsetRoundTripsThroughBytesAndLsp() {
    String src = "# ü\r\nimport a\rb = '𝒳'\n\tc = \"日本\"\r\n";
    SourceText text = SourceText.of(src);
    for (int offset = 0; offset <= src.length(); offset++) {
      if (offset > 0 && Character.isHighSurrogate(src.charAt(offset - 1))) {
        continue; // inside a surrogate pair: no byte offset of its own
      }
      assertEquals(offset, text.byteToOffset(text.offsetToByte(offset)), "byte round trip at " + offset);
      if (offset > 0 && src.charAt(offset - 1) == '\r' && offset < src.length() && src.charAt(offset) == '\n') {
        assertEquals(offset - 1, text.fromLsp(text.toLsp(offset)), "inside CRLF: the line's end");
        continue;
      }
      assertEquals(offset, text.fromLsp(text.toLsp(offset)), "LSP round trip at " + offset);
      assertEquals(offset, text.fromTsPoint(text.toTsPoint(offset)), "point round trip at " + offset);
    }
  }

  @Test
  void garbageInputIsClampedNeverThrown() {
    SourceText text = SourceText.of("ab\ncd");
    assertEquals(0, text.fromLsp(-3, -7));
    assertEquals(5, text.fromLsp(99, 0));
    assertEquals(2, text.fromLsp(0, 99)); // past the line's end: the line's end, not the next line
    assertEquals(5, text.byteToOffset(1_000));
    assertEquals(0, text.byteToOffset(-1));
    assertEquals(new LspPosition(1, 2), text.toLsp(77));
    assertEquals("cd", text.slice(text.profileLine(42)));
    assertEquals("ab", text.slice(text.profileLine(-1)));
    assertEquals(3, text.fromTsPoint(new TsPoint(1, -5)));
    assertEquals(SourceText.of(null).length(), 0);
  }

  @Test
  void byteInsideAMultiByteCharacterMapsToThatCharacter() {
    SourceText text = SourceText.of("é!");
    assertEquals(0, text.byteToOffset(1));
    assertEquals(1, text.byteToOffset(2));
  }

  @Test
  void parserBytesTurnLoneCarriageReturnsIntoNewlinesKeepingOffsets() {
    SourceText text = SourceText.of("a\rb\r\nc");
    assertArrayEquals("a\nb\r\nc".getBytes(StandardCharsets.UTF_8), text.parserBytes());
  }

  @Test
  void editsApplyAgainstTheOriginalText() {
    String result =
        SpanEdit.applyAll(
            "import os, json\n",
            java.util.List.of(
                SpanEdit.delete(new Span(9, 15)), SpanEdit.insert(0, "# top\n"), SpanEdit.insert(16, "x = 1\n")));
    assertEquals("# top\nimport os\nx = 1\n", result);
  }
}
