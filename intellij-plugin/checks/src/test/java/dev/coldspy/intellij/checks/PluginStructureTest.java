package dev.coldspy.intellij.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jetbrains.plugin.structure.base.plugin.PluginCreationFail;
import com.jetbrains.plugin.structure.base.plugin.PluginCreationResult;
import com.jetbrains.plugin.structure.base.plugin.PluginCreationSuccess;
import com.jetbrains.plugin.structure.base.problems.PluginProblem;
import com.jetbrains.plugin.structure.intellij.plugin.IdePlugin;
import com.jetbrains.plugin.structure.intellij.plugin.IdePluginManager;
import com.jetbrains.plugin.structure.intellij.plugin.PluginDependency;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jdom2.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JetBrains' plugin-structure library (what JetBrains Marketplace and the Plugin Verifier run on an upload)
 * reads the plugin distribution assembled from intellij-plugin/ and must accept it without a warning; a
 * broken descriptor must be refused with the problem named.
 */
class PluginStructureTest {
  private static final String LSP4IJ = "com.redhat.devtools.lsp4ij";

  @TempDir Path work;
  private PluginDistribution distribution;

  @BeforeEach
  void readPluginProject() throws Exception {
    distribution = new PluginDistribution(Repository.intellijPlugin());
  }

  @Test
  void theDistributionIsAcceptedWithoutProblems() throws Exception {
    PluginCreationResult<IdePlugin> result = load(distribution.patchedPluginXml());

    var success = assertInstanceOf(PluginCreationSuccess.class, result, () -> "refused: " + result);
    assertEquals(List.of(), success.getWarnings());
    assertEquals(List.of(), success.getUnacceptableWarnings());
    IdePlugin plugin = (IdePlugin) success.getPlugin();
    assertEquals("dev.coldspy", plugin.getPluginId());
    assertEquals(distribution.property("pluginVersion"), plugin.getPluginVersion());
    assertEquals(Integer.parseInt(distribution.property("pluginSinceBuild")), plugin.getSinceBuild().getBaselineVersion());
  }

  @Test
  void theServerIsDeclaredToLsp4ijForPythonFiles() throws Exception {
    IdePlugin plugin = acceptedPlugin();

    PluginDependency lsp4ij =
        plugin.getDependencies().stream().filter(d -> d.getId().equals(LSP4IJ)).findFirst().orElseThrow();
    assertTrue(!lsp4ij.isOptional(), "LSP4IJ must be a required dependency");

    List<Element> servers = plugin.getExtensions().get(LSP4IJ + ".server");
    assertEquals(1, servers.size(), "one ColdSpy server");
    Element server = servers.get(0);
    assertEquals("coldspy", server.getAttributeValue("id"));
    source(server.getAttributeValue("factoryClass"));

    List<Element> mappings = plugin.getExtensions().get(LSP4IJ + ".fileNamePatternMapping");
    assertEquals(1, mappings.size());
    assertEquals("*.py", mappings.get(0).getAttributeValue("patterns"));
    assertEquals("coldspy", mappings.get(0).getAttributeValue("serverId"));
    assertEquals("python", mappings.get(0).getAttributeValue("languageId"));
  }

  @Test
  void theGutterAnnotatorRunsForEveryLanguage() throws Exception {
    IdePlugin plugin = acceptedPlugin();

    // *.py is plain text in IntelliJ IDEA without the Python plugin: an empty language covers it and PyCharm's.
    List<Element> annotators = plugin.getExtensions().get("com.intellij.externalAnnotator");
    assertEquals(1, annotators.size(), "one gutter annotator");
    assertEquals("", annotators.get(0).getAttributeValue("language"));
    String annotator = annotators.get(0).getAttributeValue("implementationClass");
    String code = Files.readString(source(annotator));
    assertTrue(code.contains("extends ExternalAnnotator<"), annotator + " must be an ExternalAnnotator");
    assertTrue(code.contains(".inlayHint("), annotator + " must ask the server for its inlay hints");
  }

  @Test
  void theStatusWidgetShowsWhatTheServersStatusNotificationSays() throws Exception {
    IdePlugin plugin = acceptedPlugin();

    List<Element> widgets = plugin.getExtensions().get("com.intellij.statusBarWidgetFactory");
    assertEquals(1, widgets.size(), "one status bar widget");
    String factory = widgets.get(0).getAttributeValue("implementation");
    String factoryCode = Files.readString(source(factory));
    assertTrue(factoryCode.contains("implements StatusBarWidgetFactory"), factory + " must be a StatusBarWidgetFactory");
    assertTrue(factoryCode.contains("ID = \"" + widgets.get(0).getAttributeValue("id") + "\""), factory + " must use the id of plugin.xml");
    // The server factory hands LSP4IJ the client whose method takes coldspy/status into the widget's state.
    String serverFactory = plugin.getExtensions().get(LSP4IJ + ".server").get(0).getAttributeValue("factoryClass");
    String clientClass = "dev.coldspy.intellij.ColdSpyLanguageClient";
    assertTrue(Files.readString(source(serverFactory)).contains("new ColdSpyLanguageClient(project)"));
    String client = Files.readString(source(clientClass));
    assertTrue(client.contains("extends LanguageClientImpl"), clientClass);
    assertTrue(client.contains("@JsonNotification(\"coldspy/status\")"), clientClass + " must take coldspy/status");
  }

  @Test
  void aDescriptorWithoutVendorIsRefused() throws Exception {
    String withoutVendor = distribution.patchedPluginXml().replaceFirst("<vendor>[^<]*</vendor>", "");

    PluginCreationResult<IdePlugin> result = load(withoutVendor);

    var failure = assertInstanceOf(PluginCreationFail.class, result, () -> "accepted: " + result);
    List<String> problems =
        ((List<?>) failure.getErrorsAndWarnings()).stream().map(p -> ((PluginProblem) p).getMessage()).toList();
    assertEquals(List.of("Invalid plugin descriptor 'plugin.xml'. The property <vendor> is not specified."), problems);
  }

  @Test
  void aWildcardSinceBuildIsNotAcceptable() throws Exception {
    String since = distribution.property("pluginSinceBuild");
    String wildcard =
        distribution.patchedPluginXml().replace("since-build=\"" + since + "\"", "since-build=\"" + since + ".*\"");

    var success = assertInstanceOf(PluginCreationSuccess.class, load(wildcard));

    assertEquals(1, success.getUnacceptableWarnings().size(), () -> "got " + success.getUnacceptableWarnings());
    String message = ((PluginProblem) success.getUnacceptableWarnings().get(0)).getMessage();
    assertTrue(message.contains("must not contain a wildcard"), message);
  }

  /** The plugin as the structure library reads the distribution (which it must accept). */
  private IdePlugin acceptedPlugin() throws Exception {
    PluginCreationResult<IdePlugin> result = load(distribution.patchedPluginXml());
    return (IdePlugin) assertInstanceOf(PluginCreationSuccess.class, result, () -> "refused: " + result).getPlugin();
  }

  /** The source file of a class of the plugin (which must exist). */
  private static Path source(String className) {
    Path file = Repository.intellijPlugin().resolve("src/main/java").resolve(className.replace('.', '/') + ".java");
    assertTrue(Files.isRegularFile(file), className + " has no source " + file);
    return file;
  }

  private PluginCreationResult<IdePlugin> load(String pluginXml) throws Exception {
    Path zip = distribution.write(Files.createDirectories(work.resolve("dist")), pluginXml, Repository.serverJar());
    return IdePluginManager.createManager(work.resolve("extracted")).createPlugin(zip);
  }
}
