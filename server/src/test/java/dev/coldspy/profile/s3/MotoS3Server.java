package dev.coldspy.profile.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * moto's standalone S3 server (PyPI {@code moto[server]}, installed by {@code scripts/setup.d/20-python.sh})
 * on a free loopback port, started by the test: a real HTTP server that both the AWS SDK for Java and
 * boto3 talk to, not a mock of either client. A missing moto fails the test with that reason; it never skips.
 * Python code runs against it through {@link #python}, with {@code profiler/} on its path.
 */
final class MotoS3Server implements AutoCloseable {
  static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final long START_TIMEOUT_MS = 90_000; // moto imports a lot; the test machine is often busy

  private final Process process;
  private final Path log;
  final String endpoint;

  private MotoS3Server(Process process, Path log, String endpoint) {
    this.process = process;
    this.log = log;
    this.endpoint = endpoint;
  }

  static MotoS3Server start(Path workDirectory) throws IOException, InterruptedException {
    Path log = workDirectory.resolve("moto.log");
    Process probe = new ProcessBuilder("python3", "-c", "import moto.server")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!probe.waitFor(120, TimeUnit.SECONDS) || probe.exitValue() != 0) {
      fail("moto is not installed for python3, and the S3 tests need its server: run "
          + "scripts/setup.d/20-python.sh (pip install 'moto[server]'): " + Files.readString(log).strip());
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    Process process = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p",
        Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    MotoS3Server server = new MotoS3Server(process, log, endpoint);
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (!server.ready()) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        server.close();
        fail("moto server did not start on " + endpoint + ": " + Files.readString(log).strip());
      }
      Thread.sleep(200);
    }
    return server;
  }

  private boolean ready() {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint + "/moto-api/").toURL().openConnection();
      connection.setConnectTimeout(2000);
      connection.setReadTimeout(2000);
      try {
        return connection.getResponseCode() == 200;
      } finally {
        connection.disconnect();
      }
    } catch (IOException notYet) {
      return false;
    }
  }

  /** The variables that point the SDKs at this server, with test credentials, as a deployment would set them. */
  Map<String, String> env() {
    return Map.of("AWS_ENDPOINT_URL_S3", endpoint, "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY",
        "testing", "AWS_REGION", "us-east-1", "AWS_EC2_METADATA_DISABLED", "true");
  }

  /** A client built the way the CLI builds one, from {@link #env()}. */
  S3Client client() {
    return S3Clients.fromEnvironment(env(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
  }

  /**
   * Runs a Python program with {@code profiler/} importable and this server's variables set; its arguments
   * are {@code sys.argv[1:]}. Fails the test when it does not exit with 0.
   */
  void python(String program, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("python3", "-c", program));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> environment = new HashMap<>(env());
    environment.put("PYTHONPATH", REPOSITORY.resolve("profiler").toString());
    builder.environment().putAll(environment);
    Process python = builder.start();
    String output = new String(python.getInputStream().readAllBytes());
    if (!python.waitFor(300, TimeUnit.SECONDS)) {
      python.destroyForcibly();
      fail("python timed out: " + output);
    }
    assertEquals(0, python.exitValue(), "python failed: " + output);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  @Override
  public String toString() {
    return "moto S3 server at " + endpoint + " (log " + log + ")";
  }
}
