package dev.coldspy.profile.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collection round trip with the packaged jar: the agent's {@code coldspy.s3_upload} puts three
 * environments' profiles into moto's S3 server on loopback, and {@code coldspy.jar check --profile s3://...}
 * (credentials and endpoint from the environment, as a user has them) prints exactly what it prints for the
 * same three files read from disk.
 */
class S3RoundTripIT {
  private static final Path JAR = MotoS3Server.REPOSITORY.resolve("server/target/coldspy.jar");
  private static final Path FIXTURES = MotoS3Server.REPOSITORY.resolve("fixtures");

  private static MotoS3Server moto;

  @BeforeAll
  static void uploadThreeEnvironments(@TempDir Path work) throws Exception {
    moto = MotoS3Server.start(work);
    moto.python("""
        import sys, boto3
        from botocore.config import Config
        from coldspy import s3_upload
        boto3.client("s3", config=Config(s3={"addressing_style": "path"})).create_bucket(Bucket="collected")
        for n in range(3):
            with open(sys.argv[1], "rb") as profile:
                result = s3_upload.upload(profile.read(), "s3://collected/coldspy", function_name="rules-engine",
                                          function_version="4", started_at=1796126400 + n)
            assert result.error is None, result.error
        """, FIXTURES.resolve("profiles/rules_engine.json").toString());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (moto != null) {
      moto.close();
    }
  }

  @Test
  void checkReadsTheCollectedProfilesAsIfTheyWereLocalFiles(@TempDir Path local) throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: the packaged-jar tests run after 'package'");
    for (int n = 0; n < 3; n++) {
      Files.copy(FIXTURES.resolve("profiles/rules_engine.json"), local.resolve("rules_engine-" + n + ".json"));
    }
    Run fromFiles = coldspy(local, "check", "--format", "json", "--profile", local.toString(), "apps/rules_engine");
    Run fromS3 = coldspy(local, "check", "--format", "json", "--profile", "s3://collected/coldspy/rules-engine",
        "apps/rules_engine");
    assertEquals("", fromS3.err());
    assertEquals(fromFiles.status(), fromS3.status());
    assertTrue(fromS3.out().contains("\"coldStarts\" : 30") || fromS3.out().contains("\"coldStarts\":30"),
        fromS3.out());
    assertEquals(fromFiles.out(), fromS3.out());
  }

  @Test
  void aBucketThatCannotBeListedIsABadInputNamingIt(@TempDir Path local) throws Exception {
    Run run = coldspy(local, "check", "--profile", "s3://no-such-bucket/coldspy", "apps/rules_engine");
    assertEquals(2, run.status(), run.toString());
    assertEquals("coldspy: s3://no-such-bucket/coldspy: cannot list: The specified bucket does not exist"
        + " (NoSuchBucket, HTTP 404)\n", run.err());
  }

  @Test
  void withoutCredentialsTheErrorSaysWhatToSet(@TempDir Path local) throws Exception {
    Path none = local.resolve("none");
    Run run = coldspy(local, Map.of("AWS_ACCESS_KEY_ID", "", "AWS_SECRET_ACCESS_KEY", "",
        "AWS_SHARED_CREDENTIALS_FILE", none.toString(), "AWS_CONFIG_FILE", none.toString()),
        "check", "--profile", "s3://collected/coldspy", "apps/rules_engine");
    assertEquals(2, run.status(), run.toString());
    assertEquals("coldspy: s3://collected/coldspy: cannot list: no AWS credentials found (the AWS SDK's default"
        + " chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws, SSO, a container or instance"
        + " role)\n", run.err());
  }

  @Test
  void reportComparesCollectedProfilesWithLocalOnes(@TempDir Path local) throws Exception {
    Path page = local.resolve("report.html");
    Run run = coldspy(local, "report", "--profile", "s3://collected/coldspy/rules-engine/4", "--compare",
        "profiles/rules_engine.json", "-o", page.toString(), "apps/rules_engine");
    assertEquals(0, run.status(), run.toString());
    assertEquals("coldspy: wrote " + page + "\n", run.out());
    assertTrue(Files.size(page) > 10_000, "a page was written");
  }

  private record Run(int status, String out, String err) {}

  private static Run coldspy(Path scratch, String... arguments) throws IOException, InterruptedException {
    return coldspy(scratch, Map.of(), arguments);
  }

  /**
   * {@code java -jar coldspy.jar ARGS} in {@code fixtures/} with moto's endpoint and test credentials, then
   * {@code changes} (an empty value removes the variable).
   */
  private static Run coldspy(Path scratch, Map<String, String> changes, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
    command.addAll(List.of(arguments));
    Path out = Files.createTempFile(scratch, "stdout", ".txt");
    Path err = Files.createTempFile(scratch, "stderr", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(FIXTURES.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("AWS_"));
    environment.putAll(moto.env());
    changes.forEach((name, value) -> {
      if (value.isEmpty()) {
        environment.remove(name);
      } else {
        environment.put(name, value);
      }
    });
    Process process = builder.start();
    assertTrue(process.waitFor(180, TimeUnit.SECONDS), "timed out: " + command);
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }
}
