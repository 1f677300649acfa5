package dev.coldspy.profile.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.profile.ProfileLoader;
import dev.coldspy.profile.ProfileSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Profiles uploaded by the agent's {@code coldspy.s3_upload} (and a few objects put with boto3) to moto's S3
 * server on loopback, read back with {@link S3ProfileLoader}: the merge equals that of the same files read
 * locally, bad objects are named by key and skipped, other apps and sibling prefixes stay out, pagination and
 * bounded parallel downloads get every one of a thousand objects.
 */
class S3ProfileLoaderTest {
  private static final Path PROFILES = MotoS3Server.REPOSITORY.resolve("fixtures/profiles");
  private static final Path RULES_ENGINE = PROFILES.resolve("rules_engine.json");
  private static final Path RULES_ENGINE_LOG = MotoS3Server.REPOSITORY.resolve("fixtures/importtime/rules_engine.log");

  /** Stages the objects: three agent uploads of one app, and beside them what must be told apart. */
  private static final String STAGE = """
      import sys, boto3
      from botocore.config import Config
      from coldspy import s3_upload
      rules, audit, log = sys.argv[1:4]
      s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}))
      s3.create_bucket(Bucket="profiles")
      for n in range(3):
          with open(rules, "rb") as source:
              result = s3_upload.upload(source.read(), "s3://profiles/collected", function_name="rules",
                                        function_version="$LATEST", started_at=1796126400 + n)
          assert result.error is None, result.error
      for path in (audit, log):
          assert s3_upload.upload(path, "s3://profiles/collected", function_name="rules", function_version="2",
                                  started_at=1796126400).error is None
      s3.put_object(Bucket="profiles", Key="collected/rules/2/2026/12/01/truncated.json", Body=b'{"format": "col')
      s3.put_object(Bucket="profiles", Key="collected/README.txt", Body=b"not a profile")
      s3.put_object(Bucket="profiles", Key="collected-old/rules_engine.json", Body=open(rules, "rb").read())
      """;

  private static MotoS3Server moto;
  private static S3Client client;

  @BeforeAll
  static void startServer(@TempDir Path work) throws Exception {
    moto = MotoS3Server.start(work);
    client = moto.client();
    moto.python(STAGE, RULES_ENGINE.toString(), PROFILES.resolve("audit_forwarder.json").toString(),
        RULES_ENGINE_LOG.toString());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (client != null) {
      client.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  @Test
  void mergesTheUploadedProfilesOfOneAppAsTheSameFilesReadLocally(@TempDir Path local) throws Exception {
    // Paged two keys at a time with three downloads: listing, bounded fetching and merging all take part.
    S3ProfileLoader.Result result = new S3ProfileLoader(client, 3, 2)
        .load(List.of(S3Location.parse("s3://profiles/collected/")), null);

    List<Path> copies = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      copies.add(Files.copy(RULES_ENGINE, local.resolve("rules_engine-" + n + ".json")));
    }
    copies.add(Files.copy(RULES_ENGINE_LOG, local.resolve("rules_engine.log")));
    ProfileSet expected = ProfileLoader.load(copies, null).profiles().orElseThrow();
    ProfileSet merged = result.profiles().orElseThrow();

    assertEquals("rules_engine", merged.app().name());
    assertEquals(4, merged.profiles().size());
    assertEquals(expected.coldStartCount(), merged.coldStartCount());
    assertEquals(31, merged.coldStartCount()); // 3 × 10 cold starts + the importtime log's one
    assertEquals(expected.invocationCount(), merged.invocationCount());
    assertEquals(expected.initUs().median(), merged.initUs().median());
    assertEquals(expected.modules().keySet(), merged.modules().keySet());
    assertEquals(expected.usage(), merged.usage());
    assertEquals(expected.callTree().totalExecutionSamples(), merged.callTree().totalExecutionSamples());
    assertEquals(6, result.objectsRead()); // README.txt is not a profile by name; collected-old is another folder
    assertEquals(List.of(
        "s3://profiles/collected/rules/2/2026/12/01/audit_forwarder.json: is a profile of app 'audit_forwarder',"
            + " not of 'rules_engine'; left out of the merge",
        "s3://profiles/collected/rules/2/2026/12/01/truncated.json: truncated JSON: the input ends inside the"
            + " document (line 1, column 16)"), result.errors());
    assertTrue(merged.profiles().stream().allMatch(p -> p.source().path().toString()
        .startsWith("s3:/profiles/collected/rules/")), "sources name the objects: " + merged.profiles());
  }

  @Test
  void theExpectedAppIsKeptEvenWhenOthersAreMore() {
    S3ProfileLoader.Result result = new S3ProfileLoader(client)
        .load(List.of(S3Location.parse("s3://profiles/collected")), "audit_forwarder");
    assertEquals("audit_forwarder", result.profiles().orElseThrow().app().name());
    assertEquals(4, result.errors().stream().filter(e -> e.contains("not of 'audit_forwarder'")).count());
  }

  @Test
  void aBucketThatCannotBeListedIsOneErrorNamingIt() {
    S3ProfileLoader.Result result = new S3ProfileLoader(client)
        .load(List.of(S3Location.parse("s3://no-such-bucket/p")), null);
    assertTrue(result.profiles().isEmpty());
    assertEquals(1, result.errors().size());
    assertTrue(result.errors().get(0).startsWith("s3://no-such-bucket/p: cannot list: The specified bucket does"
        + " not exist"), result.errors().get(0));
  }

  @Test
  void aThousandEnvironmentsAreListedAcrossPagesAndAllMerged() throws Exception {
    // One object per Lambda execution environment, each a one-cold-start profile, as the agent uploads them.
    moto.python("""
        import json, sys, boto3
        from concurrent.futures import ThreadPoolExecutor
        from botocore.config import Config
        from coldspy import s3_upload
        document = json.load(open(sys.argv[1]))
        document["coldStarts"] = document["coldStarts"][:1]
        body = json.dumps(document).encode()
        s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}, max_pool_connections=16))
        s3.create_bucket(Bucket="fleet")
        def put(n):
            result = s3_upload.upload(body, "s3://fleet/coldspy", function_name="rules", function_version="9",
                                      started_at=1796126400 + n * 60, client=s3)
            assert result.error is None, result.error
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(put, range(1001)))
        """, RULES_ENGINE.toString());
    S3ProfileLoader.Result result = new S3ProfileLoader(client).load(List.of(S3Location.parse("s3://fleet")), null);
    assertEquals(List.of(), result.errors());
    assertEquals(1001, result.objectsRead());
    assertEquals(1001, result.profiles().orElseThrow().coldStartCount());
  }

  @Test
  void anObjectTooLargeToBeAProfileIsReportedWithoutDownloadingIt() throws Exception {
    moto.python("""
        import boto3
        from botocore.config import Config
        s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}))
        s3.create_bucket(Bucket="large")
        s3.put_object(Bucket="large", Key="p/huge.json", Body=b" " * (64 * 1024 * 1024 + 1))
        s3.put_object(Bucket="large", Key="p/bad\\x1b[2J.json", Body=b"{}")
        """);
    S3ProfileLoader.Result result = new S3ProfileLoader(client).load(List.of(S3Location.parse("s3://large/p")), null);
    assertEquals(List.of(
        "s3://large/p/bad\\x1b[2J.json: missing field $.format",
        "s3://large/p/huge.json: is too large to be a profile: 67108865 bytes, the limit is 64 MB; not downloaded"),
        result.errors());
    assertEquals(1, result.objectsRead());
  }

  @Test
  void localFilesAndS3LocationsMergeIntoOneSetOfTheLocalApp(@TempDir Path local) throws Exception {
    Path file = Files.copy(RULES_ENGINE, local.resolve("rules_engine.json"));
    LocalAndS3Profiles.Result result = LocalAndS3Profiles.load(List.of(file),
        List.of(S3Location.parse("s3://profiles/collected")), null, moto::client);
    assertEquals(41, result.profiles().orElseThrow().coldStartCount()); // 10 local + 31 collected
    assertEquals(2, result.errors().size(), result.errors().toString()); // audit_forwarder, truncated.json
  }

  @Test
  void aMalformedEndpointVariableIsOneErrorNamingIt() {
    LocalAndS3Profiles.Result result = LocalAndS3Profiles.load(List.of(),
        List.of(S3Location.parse("s3://profiles/collected")), null,
        () -> S3Clients.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", "localhost:9000"),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))));
    assertTrue(result.profiles().isEmpty());
    assertEquals(List.of("AWS_ENDPOINT_URL_S3=localhost:9000 is not an http(s) URL"), result.errors());
  }

  @Test
  void locationsSplitIntoLocalPathsAndS3Locations() {
    LocalAndS3Profiles.Locations split = LocalAndS3Profiles.split(
        List.of("profiles/", "/abs/p.json", "s3://b/coldspy/fn/"), Path.of("/project"));
    assertEquals(List.of(Path.of("/project/profiles"), Path.of("/abs/p.json")), split.local());
    assertEquals(List.of(new S3Location("b", "coldspy/fn")), split.s3());
    assertEquals(List.of(Path.of("profiles")), LocalAndS3Profiles.split(List.of("profiles"), null).local());
  }

  @Test
  void locationsParseWithTheirProblemNamed() {
    assertEquals(new S3Location("b", "a/b"), S3Location.parse("s3://b//a/b/"));
    assertEquals(new S3Location("b", ""), S3Location.parse("s3://b"));
    assertEquals("s3://b/a", S3Location.parse("s3://b/a/").toString());
    assertEquals("s3:///p: names no bucket (expected s3://bucket/prefix)",
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3:///p")).getMessage());
    assertTrue(S3Location.parse("s3://b/prod/fn").contains("prod/fn/1/x.json"));
    assertTrue(!S3Location.parse("s3://b/prod/fn").contains("prod/fn2/x.json"));
  }
}
