package dev.coldspy.precompile;

import static dev.coldspy.verify.FixtureApps.coldspy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coldspy.cli.ExitCodes;
import dev.coldspy.verify.FixtureApps;
import dev.coldspy.verify.FixtureApps.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coldspy precompile} on the pdf_report fixture app packaged as a Lambda deployment folder would be
 * with {@code pip install -t . --no-compile}: its libraries (rich, pypdf, pdfminer) vendored beside the handler
 * without bytecode.
 */
class PrecompileCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VENDORED = List.of("rich", "pypdf", "pdfminer");
  /** Checks every .py under argv[1]: its .pyc for this interpreter is unchecked-hash and hashes its source. */
  private static final String CHECK_PYC = String.join("\n",
      "import importlib.util, pathlib, sys",
      "problems, checked = [], 0",
      "for source in pathlib.Path(sys.argv[1]).rglob('*.py'):",
      "    header = pathlib.Path(importlib.util.cache_from_source(str(source))).read_bytes()[:16]",
      "    flags = int.from_bytes(header[4:8], 'little')",
      "    if header[:4] != importlib.util.MAGIC_NUMBER or flags != 0b01"
          + " or header[8:16] != importlib.util.source_hash(source.read_bytes()):",
      "        problems.append(str(source))",
      "    checked += 1",
      "print(checked, len(problems), problems[:3])");

  @TempDir Path dir;

  private Path deploymentFolder(Path target) throws Exception {
    FixtureApps.copy("pdf_report", target);
    for (String library : VENDORED) {
      String location = FixtureApps.python("import os, " + library + "; print(os.path.dirname(" + library + ".__file__))");
      FixtureApps.copyTree(Path.of(location.strip()), target.resolve(library));
    }
    return target;
  }

  @Test
  void writesUncheckedHashBytecodeThatPythonUsesAndVerifyShowsInitLower() throws Exception {
    Path baseline = deploymentFolder(dir.resolve("baseline"));
    Path app = deploymentFolder(dir.resolve("app"));
    long sources;
    try (Stream<Path> walk = Files.walk(app)) {
      sources = walk.filter(p -> p.toString().endsWith(".py")).count();
    }

    Run run = coldspy("precompile", app.toString(), "--format", "json");

    assertEquals(ExitCodes.OK, run.status(), run.err());
    JsonNode result = JSON.readTree(run.out());
    assertEquals(sources, result.get("compiled").asLong());
    assertEquals(sources, result.get("before").get("none").asLong());
    assertEquals("unchecked-hash", result.get("invalidationMode").asText());
    List<String> packages = new ArrayList<>();
    result.get("packages").forEach(p -> packages.add(p.get("name").asText()));
    assertTrue(packages.containsAll(List.of("rich", "pypdf", "pdfminer", "handler")), packages.toString());
    assertEquals(0, result.get("failed").size());
    // Valid files: the header says hash-based without source check, and the hash is the source's.
    assertEquals(sources + " 0 []", FixtureApps.python(CHECK_PYC, app.toString()).strip());
    // And Python loads them: -v names the file each code object came from.
    String verbose = FixtureApps.python("import subprocess, sys; print(subprocess.run([sys.executable, '-v', '-c',"
        + " 'import handler'], cwd=sys.argv[1], capture_output=True, text=True).stderr)", app.toString());
    for (String module : List.of("__pycache__/handler.", "rich/__pycache__/console.", "pypdf/__pycache__/__init__.")) {
      assertTrue(verbose.contains("# code object from '" + app.resolve(module) + "cpython-"), module);
    }

    Run verify = coldspy("verify", "--baseline", baseline.toString(), app.resolve("handler.py") + ":handler",
        "--event", app.resolve("events/invoice-0117.json").toString(), "--cold-starts", "6", "--format", "json",
        "-o", dir.resolve("verify.json").toString());

    assertEquals(ExitCodes.OK, verify.status(), verify.err());
    JsonNode verified = JSON.readTree(verify.out());
    assertTrue(verified.get("outputsIdentical").asBoolean());
    assertTrue(verified.get("after").get("initMs").asDouble() < verified.get("before").get("initMs").asDouble(),
        verified.toString());
    assertTrue(verified.get("ratios").get("initMs").get("significant").asBoolean(), verified.toString());
  }

  @Test
  void reportsWhatWasThereBeforeOtherPythonsCachesAndFilesThatDoNotCompile() throws Exception {
    Path app = Files.createDirectories(dir.resolve("app/pkg/__pycache__")).getParent().getParent();
    Files.writeString(app.resolve("handler.py"), "import pkg.util\n\ndef handler(event, context):\n    return 1\n");
    Files.writeString(app.resolve("pkg/__init__.py"), "");
    Files.writeString(app.resolve("pkg/util.py"), "VALUE = 1\n");
    Files.writeString(app.resolve("pkg/legacy.py"), "print 'python 2 only'\n");
    Files.writeString(app.resolve("pkg/__pycache__/util.cpython-39.pyc"), "stale bytes of another Python");
    FixtureApps.python("import py_compile, sys; py_compile.compile(sys.argv[1])", app.resolve("pkg/util.py").toString());

    Run first = coldspy("precompile", app.toString(), "--format", "json");
    Run again = coldspy("precompile", app.toString());

    assertEquals(ExitCodes.OK, first.status(), first.err());
    JsonNode result = JSON.readTree(first.out());
    assertEquals(3, result.get("compiled").asInt());
    assertEquals(3, result.get("before").get("none").asInt()); // legacy.py included: it had none either
    assertEquals(1, result.get("before").get("timestamp").asInt());
    assertEquals(1, result.get("otherCacheTags").get("cpython-39").asInt());
    assertEquals("pkg/legacy.py", result.get("failed").get(0).get("path").asText());
    assertTrue(result.get("failed").get(0).get("error").asText().contains("SyntaxError"), result.toString());
    assertEquals(ExitCodes.OK, again.status(), again.err());
    List<String> lines = again.out().lines().toList();
    assertTrue(lines.get(0).matches("Compiled 3 modules in " + java.util.regex.Pattern.quote(app.toString())
        + " for cpython-3\\d+ \\(Python 3\\.[0-9.]+\\), unchecked-hash \\.pyc"), lines.get(0));
    assertTrue(lines.get(1).matches("  by package: (pkg 2 \\(\\d+ ms\\), handler 1 \\(\\d+ ms\\)"
        + "|handler 1 \\(\\d+ ms\\), pkg 2 \\(\\d+ ms\\))"), lines.get(1));
    assertTrue(lines.get(2).startsWith("  before: 1 without bytecode for cpython-3"), lines.get(2));
    assertTrue(lines.get(2).endsWith(", 0 timestamp-based, 3 hash-based"), lines.get(2));
    assertTrue(lines.get(3).startsWith("  found 1 .pyc file for cpython-39: another Python, unused by"), lines.get(3));
    assertTrue(lines.get(lines.size() - 1).startsWith("warning: " + app.resolve("pkg/legacy.py")
        + ": not compiled: "), lines.get(lines.size() - 1));
  }

  @Test
  void badInputIsAOneLineError() throws Exception {
    Run missing = coldspy("precompile", dir.resolve("nope").toString());
    Run noPython = coldspy("precompile", dir.toString(), "--python", "/no/such/python3");

    assertEquals(ExitCodes.ERROR, missing.status());
    assertEquals("coldspy: " + dir.resolve("nope") + ": directory not found\n", missing.err());
    assertEquals(ExitCodes.ERROR, noPython.status());
    assertEquals("coldspy: cannot run the Python interpreter '/no/such/python3' (No such file or directory);"
        + " install Python 3 or name one with --python\n", noPython.err());
  }
}
