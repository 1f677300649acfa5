package dev.coldspy.intellij;

import com.intellij.ide.plugins.IdeaPluginDescriptor;
import com.intellij.ide.plugins.PluginManagerCore;
import com.intellij.openapi.extensions.PluginId;
import com.intellij.openapi.project.Project;
import com.redhat.devtools.lsp4ij.server.JavaProcessCommandBuilder;
import com.redhat.devtools.lsp4ij.server.ProcessStreamConnectionProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.annotations.NotNull;

/**
 * {@code java -jar <plugin>/server/coldspy.jar serve}, run with the IDE's own Java runtime. The jar sits in
 * the plugin's {@code server/} folder (see build.gradle.kts), outside the plugin class path, so the LSP4J it
 * contains never meets the one LSP4IJ provides.
 */
final class ColdSpyServerProcess extends ProcessStreamConnectionProvider {
  static final String SERVER_ID = "coldspy";
  private static final String PLUGIN_ID = "dev.coldspy";

  ColdSpyServerProcess(@NotNull Project project) {
    // JavaProcessCommandBuilder adds the debug agent when the user sets a debug port for "coldspy" in
    // LSP4IJ's Language Servers settings.
    List<String> command =
        new ArrayList<>(
            new JavaProcessCommandBuilder(project, SERVER_ID).setJar(bundledServerJar().toString()).create());
    command.add("serve");
    setCommands(command);
    String projectDir = project.getBasePath();
    if (projectDir != null) {
      setWorkingDirectory(projectDir);
    }
  }

  private static Path bundledServerJar() {
    IdeaPluginDescriptor plugin = PluginManagerCore.getPlugin(PluginId.getId(PLUGIN_ID));
    if (plugin == null) {
      throw new IllegalStateException("ColdSpy plugin " + PLUGIN_ID + " is not loaded");
    }
    Path jar = plugin.getPluginPath().resolve("server").resolve("coldspy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("ColdSpy language server not found at " + jar + ": reinstall the plugin");
    }
    return jar;
  }
}
