package dev.coldspy.profile;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** What profile file names tell: the app name of formats that do not record it. */
final class ProfileFileNames {
  /** {@code <app>-<unix time>} as the original ColdSpy named its pickles; the time may have a fraction. */
  private static final Pattern TIMESTAMP_SUFFIX = Pattern.compile("-\\d+(\\.\\d+)?$");
  private static final Pattern EXTENSION = Pattern.compile("\\.(pkl|pickle|log|txt|json)$", Pattern.CASE_INSENSITIVE);

  private ProfileFileNames() {}

  /**
   * The app name of a profile file that does not record one: the file name without its extension and
   * without a trailing {@code -<unix time>} ({@code report_app-1795421666.167646.pkl} → {@code report_app}).
   */
  static String appName(Path file) {
    String name = PrintableText.of(file.getFileName().toString());
    String stem = EXTENSION.matcher(name).replaceFirst("");
    String app = TIMESTAMP_SUFFIX.matcher(stem).replaceFirst("");
    return app.isEmpty() ? stem : app;
  }
}
