package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;
import org.junit.jupiter.api.Test;

class FrameGuardTest {
  private final List<FrameGuard.Malformed> malformed = new ArrayList<>();

  private String through(String input) throws IOException {
    FrameGuard guard = new FrameGuard(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), malformed::add);
    return new String(guard.readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void wellFormedFramesPassThroughWithTheirHeaderSpeltAsLsp4jReadsIt() throws IOException {
    assertEquals("Content-Length: 2\r\n\r\n{}Content-Length: 4\r\nContent-Type: application/json\r\n\r\n[1,2]",
        through("content-length: 2\r\n\r\n{}Content-Length:4\nContent-Type: application/json\n\n[1,2]"));
    assertEquals(List.of(), malformed);
  }

  @Test
  void aFrameWithoutAUsableLengthIsTakenOutWholeAndTheNextOneKept() throws IOException {
    String request = "{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"textDocument/hover\",\"params\":{\"s\":\"}]\\\"{\"}}";

    String passed = through("Content-Length: abc\r\n\r\n" + request + "Content-Length: 2\r\n\r\n{}");

    assertEquals("Content-Length: 2\r\n\r\n{}", passed);
    assertEquals(List.of(new FrameGuard.Malformed("Content-Length: abc", request)), malformed);
  }

  @Test
  void aHeaderWithoutLengthBeforeAnotherHeaderLosesNothingElse() throws IOException {
    assertEquals("Content-Length: 2\r\n\r\n{}",
        through("X-Other: 1\r\n\r\nContent-Length: 2\r\n\r\n{}"));
    assertEquals(List.of(new FrameGuard.Malformed("no Content-Length header", "")), malformed);
  }

  @Test
  void aMalformedRequestIsAnsweredWithAnInvalidRequestError() {
    List<Message> sent = new ArrayList<>();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    ServerLog log = new ServerLog(new PrintStream(stderr, true, StandardCharsets.UTF_8));

    LanguageServerLauncher.answerMalformed(new FrameGuard.Malformed("Content-Length: abc",
        "{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"textDocument/hover\"}"), sent::add, log);
    LanguageServerLauncher.answerMalformed(new FrameGuard.Malformed("Content-Length: -1",
        "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\"}"), sent::add, log);

    assertEquals(1, sent.size());
    ResponseMessage response = (ResponseMessage) sent.get(0);
    assertEquals("77", response.getId());
    assertEquals(ResponseErrorCode.InvalidRequest.getValue(), response.getError().getCode());
    assertEquals("coldspy error: JSON-RPC: skipped a message with a malformed header (Content-Length: abc), method"
        + " textDocument/hover\ncoldspy error: JSON-RPC: skipped a message with a malformed header (Content-Length:"
        + " -1), method textDocument/didOpen\n", stderr.toString(StandardCharsets.UTF_8));
  }
}
