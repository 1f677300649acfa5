package dev.coldspy.intellij.checks;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Builds the zip that the plugin's Gradle build ({@code buildPlugin}) distributes, from the same sources,
 * as far as this machine allows: {@code <name>/lib/<name>-<version>.jar} with plugin.xml (patched with the
 * version and since-build from gradle.properties, as {@code patchPluginXml} does) and the resources, and
 * {@code <name>/server/coldspy.jar}. The Java classes cannot be compiled here (the IntelliJ Platform and
 * LSP4IJ are not on Maven Central), so the plugin jar holds no classes.
 */
final class PluginDistribution {
  private final Path pluginProject;
  private final Properties gradleProperties = new Properties();

  PluginDistribution(Path pluginProject) throws IOException {
    this.pluginProject = pluginProject;
    try (InputStream in = Files.newInputStream(pluginProject.resolve("gradle.properties"))) {
      gradleProperties.load(in);
    }
  }

  String property(String key) {
    String value = gradleProperties.getProperty(key);
    if (value == null) {
      throw new IllegalStateException("gradle.properties has no " + key);
    }
    return value;
  }

  Path resources() {
    return pluginProject.resolve("src/main/resources");
  }

  /** plugin.xml as the Gradle build would package it. */
  String patchedPluginXml() throws Exception {
    var factory = DocumentBuilderFactory.newInstance();
    Document xml = factory.newDocumentBuilder().parse(resources().resolve("META-INF/plugin.xml").toFile());
    Element root = xml.getDocumentElement();
    Element version = xml.createElement("version");
    version.setTextContent(property("pluginVersion"));
    Element ideaVersion = xml.createElement("idea-version");
    ideaVersion.setAttribute("since-build", property("pluginSinceBuild"));
    root.insertBefore(version, root.getFirstChild());
    root.insertBefore(ideaVersion, version.getNextSibling());
    var out = new StringWriter();
    var transformer = TransformerFactory.newInstance().newTransformer();
    transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
    transformer.transform(new DOMSource(xml), new StreamResult(out));
    return out.toString();
  }

  /** Writes the distribution zip into {@code directory} with the given plugin.xml and returns it. */
  Path write(Path directory, String pluginXml, Path serverJar) throws IOException {
    String name = property("pluginName");
    String version = property("pluginVersion");
    Path pluginJar = directory.resolve(name + "-" + version + ".jar");
    try (var jar = new ZipOutputStream(Files.newOutputStream(pluginJar))) {
      put(jar, "META-INF/plugin.xml", pluginXml.getBytes(StandardCharsets.UTF_8));
      try (Stream<Path> files = Files.walk(resources())) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          String entry = resources().relativize(file).toString().replace('\\', '/');
          if (!entry.equals("META-INF/plugin.xml")) {
            put(jar, entry, Files.readAllBytes(file));
          }
        }
      }
    }
    Path zip = directory.resolve(name + "-" + version + ".zip");
    try (var out = new ZipOutputStream(Files.newOutputStream(zip))) {
      put(out, name + "/lib/" + pluginJar.getFileName(), Files.readAllBytes(pluginJar));
      put(out, name + "/server/coldspy.jar", Files.readAllBytes(serverJar));
    }
    Files.delete(pluginJar);
    return zip;
  }

  private static void put(ZipOutputStream zip, String entry, byte[] content) throws IOException {
    zip.putNextEntry(new ZipEntry(entry));
    zip.write(content);
    zip.closeEntry();
  }
}
