package dev.coldspy.intellij;

import com.intellij.ide.plugins.IdeaPluginDescriptor;
import com.intellij.ide.plugins.PluginManagerCore;
import com.intellij.openapi.application.PathManager;
import com.intellij.openapi.diagnostic.Logger;
import com.intellij.openapi.extensions.PluginId;
import com.intellij.openapi.project.Project;
import com.redhat.devtools.lsp4ij.server.JavaProcessCommandBuilder;
import com.redhat.devtools.lsp4ij.server.ProcessStreamConnectionProvider;
import dev.coldspy.intellij.core.ServerJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jetbrains.annotations.NotNull;

/**
 * {@code java <start flags> -jar <plugin>/server/coldspy.jar serve}, run with the IDE's own Java runtime, with the
 * start flags and class-data archive of {@link ServerJvm} (the archive lives in the IDE's system folder). The
 * jar sits in the plugin's {@code server/} folder (see build.gradle.kts), outside the plugin class path, so the
 * LSP4J it contains never meets the one LSP4IJ provides.
 */
final class ColdSpyServerProcess extends ProcessStreamConnectionProvider {
  static final String SERVER_ID = "coldspy";
  private static final String PLUGIN_ID = "dev.coldspy";
  private static final Logger LOG = Logger.getInstance(ColdSpyServerProcess.class);

  ColdSpyServerProcess(@NotNull Project project) {
    Path jar = bundledServerJar();
    // JavaProcessCommandBuilder runs the IDE's Java and adds the debug agent when the user sets a debug port for
    // "coldspy" in LSP4IJ's Language Servers settings.
    List<String> java = new JavaProcessCommandBuilder(project, SERVER_ID).setJar(jar.toString()).create();
    List<String> command = ServerJvm.withOptions(java, jvmOptions(jar));
    command.add("serve");
    setCommands(command);
    String projectDir = project.getBasePath();
    if (projectDir != null) {
      setWorkingDirectory(projectDir);
    }
  }

  /** The start flags and the archive of this jar and the IDE's Java; the flags alone when the folder is unusable. */
  private static List<String> jvmOptions(Path jar) {
    Path archives = Path.of(PathManager.getSystemPath(), "coldspy", "class-data");
    try {
      Files.createDirectories(archives);
      var identity = ServerJvm.ArchiveIdentity.of(
          jar, Path.of(System.getProperty("java.home")), System.getProperty("java.runtime.version"));
      ServerJvm.deleteOtherArchives(archives, identity);
      return ServerJvm.options(archives, identity, Runtime.version().feature());
    } catch (IOException | RuntimeException unusable) {
      LOG.warn("ColdSpy: no class-data archive in " + archives + " (" + unusable + "); the server starts without one");
      return ServerJvm.START_FLAGS;
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
