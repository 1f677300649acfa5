package dev.coldspy.profile.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the S3 client that reads collected profiles: credentials from the SDK's default chain (environment,
 * system properties, {@code ~/.aws}, SSO, container and instance roles), the region from {@code AWS_REGION} /
 * {@code AWS_DEFAULT_REGION} or the SDK's chain (else us-east-1; requests to a bucket of another region are
 * redirected), and an endpoint override from {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL} for
 * S3-compatible servers, which are then addressed path-style (a bucket host name cannot resolve on an IP).
 */
public final class S3Clients {
  private S3Clients() {}

  /** A client configured from the process environment and the default credential chain. */
  public static S3Client fromEnvironment() {
    return fromEnvironment(System.getenv(), DefaultCredentialsProvider.builder().build());
  }

  /**
   * A client configured from {@code env}.
   *
   * @throws IllegalArgumentException when the endpoint variable is not an http(s) URL (the message names it)
   */
  public static S3Client fromEnvironment(Map<String, String> env, AwsCredentialsProvider credentials) {
    S3ClientBuilder builder = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(credentials)
        .region(region(env));
    String endpointVariable = env.get("AWS_ENDPOINT_URL_S3") != null ? "AWS_ENDPOINT_URL_S3" : "AWS_ENDPOINT_URL";
    String endpoint = env.get(endpointVariable);
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(endpoint(endpointVariable, endpoint.strip())).forcePathStyle(true);
    } else {
      builder.crossRegionAccessEnabled(true);
    }
    return builder.build();
  }

  private static Region region(Map<String, String> env) {
    for (String variable : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      String value = env.get(variable);
      if (value != null && !value.isBlank()) {
        return Region.of(value.strip());
      }
    }
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (RuntimeException noRegionConfigured) {
      return Region.US_EAST_1;
    }
  }

  private static URI endpoint(String variable, String value) {
    try {
      URI uri = new URI(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below with the variable's name
    }
    throw new IllegalArgumentException(variable + "=" + value + " is not an http(s) URL");
  }
}
