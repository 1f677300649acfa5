package dev.coldspy.profile;

import java.util.Objects;

/**
 * The profiled application.
 *
 * @param name the app name; profiles are merged only when their names are equal
 * @param handler the handler as given to the agent ({@code handler.py:handler}), or null when the format does
 *     not record it (pickles, importtime logs)
 * @param root the absolute directory of the handler module on the profiling machine (stripped from recorded
 *     paths to map them onto a workspace), or null when unknown
 */
public record App(String name, String handler, String root) {
  public App {
    Objects.requireNonNull(name, "name");
  }
}
