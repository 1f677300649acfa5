package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * The packaged {@code coldspy.jar serve} as a child process, with a {@link RecordingClient} on its stdio. Every
 * byte the server writes to stdout is kept, so a test can prove that stdout held nothing but JSON-RPC frames.
 */
final class PackagedServer implements AutoCloseable {
  static final Path JAR = locateJar();

  final RecordingClient client = new RecordingClient();
  final LanguageServer server;
  final Process process;
  private final ByteArrayOutputStream stdoutCopy = new ByteArrayOutputStream();

  PackagedServer(Path workingDirectory) throws IOException {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: the packaged-jar tests run after 'package'");
    process =
        new ProcessBuilder("java", "-jar", JAR.toString(), "serve")
            .directory(workingDirectory.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Launcher<LanguageServer> launcher =
        new LSPLauncher.Builder<LanguageServer>()
            .setLocalService(client)
            .setRemoteInterface(LanguageServer.class)
            .setInput(new Tee(process.getInputStream(), stdoutCopy))
            .setOutput(process.getOutputStream())
            .create();
    launcher.startListening();
    server = launcher.getRemoteProxy();
  }

  /** Ends the session (shutdown + exit) and returns the process exit status. */
  int stop() throws Exception {
    server.shutdown().get(30, TimeUnit.SECONDS);
    server.exit();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the server did not exit after 'exit'");
    return process.exitValue();
  }

  /** Asserts that stdout was a sequence of well-formed LSP frames and nothing else. */
  void assertStdoutWasOnlyJsonRpc() {
    byte[] bytes;
    synchronized (stdoutCopy) {
      bytes = stdoutCopy.toByteArray();
    }
    int offset = 0;
    int frames = 0;
    while (offset < bytes.length) {
      int headerEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), offset);
      assertTrue(headerEnd > 0, "stdout holds bytes that are not an LSP frame at offset " + offset);
      String header = new String(bytes, offset, headerEnd - offset, StandardCharsets.US_ASCII);
      assertTrue(header.startsWith("Content-Length: "), "not an LSP header on stdout: " + header);
      int length = Integer.parseInt(header.substring("Content-Length: ".length()).trim());
      String body = new String(bytes, headerEnd + 4, length, StandardCharsets.UTF_8);
      assertEquals("2.0", JsonParser.parseString(body).getAsJsonObject().get("jsonrpc").getAsString());
      offset = headerEnd + 4 + length;
      frames++;
    }
    assertTrue(frames > 0, "the server wrote nothing");
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static Path locateJar() {
    Path inModule = Path.of("target", "coldspy.jar");
    return (Files.exists(inModule) ? inModule : Path.of("server", "target", "coldspy.jar"))
        .toAbsolutePath();
  }

  /** Passes the stream through and keeps a copy of every byte. */
  private static final class Tee extends FilterInputStream {
    private final ByteArrayOutputStream copy;

    Tee(InputStream in, ByteArrayOutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        synchronized (copy) {
          copy.write(b);
        }
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        synchronized (copy) {
          copy.write(buffer, offset, n);
        }
      }
      return n;
    }
  }
}
