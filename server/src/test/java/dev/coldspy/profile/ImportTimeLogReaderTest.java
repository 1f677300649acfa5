package dev.coldspy.profile;

import static dev.coldspy.profile.JsonProfileReaderTest.failure;
import static dev.coldspy.profile.TestProfiles.csvAppLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real log of two interpreters ({@code import json, csv} then {@code import csv}) with junk lines added. */
class ImportTimeLogReaderTest {
  @TempDir Path dir;

  @Test
  void eachInterpreterIsAColdStartWithoutStartUpImports() throws Exception {
    Profile profile = ProfileReader.read(csvAppLog());

    assertEquals(SourceKind.IMPORTTIME, profile.source().kind());
    assertEquals("csv_app", profile.app().name());
    assertEquals(2, profile.coldStarts().size());
    assertEquals(List.of("json", "json.decoder", "json.scanner", "_json", "json.encoder", "csv", "_csv"),
        names(profile.coldStarts().get(0)));
    assertEquals(List.of("csv", "_csv"), names(profile.coldStarts().get(1)));
  }

  @Test
  void indentationGivesTheParent() throws Exception {
    ColdStart first = ProfileReader.read(csvAppLog()).coldStarts().get(0);

    assertEquals(new ModuleImport("json.scanner", "json.decoder", null, 644, 945, Phase.INIT, null, null),
        first.modulesByName().get("json.scanner"));
    assertNull(first.modulesByName().get("json").parent());
    assertEquals(2829 + 838, first.initUs());
  }

  @Test
  void junkLinesAreSkippedAndCounted() throws Exception {
    Profile profile = ProfileReader.read(csvAppLog());

    assertEquals(List.of("skipped 4 line(s) that are not importtime records (first at line 1)"),
        profile.readerWarnings());
    // "DEBUG worker ready" glued in front of the _csv record did not lose it.
    assertEquals(341, profile.coldStarts().get(0).modulesByName().get("_csv").selfUs());
  }

  @Test
  void aRecordAfterLongOutputOnItsLineIsFound() throws Exception {
    Path log = dir.resolve("glued_app.log");
    Files.writeString(log, "x".repeat(100_000) + "import time:        30 |         30 |   numpy.core\r\n"
        + "import time:       120 |        450 | numpy\n");

    List<ModuleImport> modules = ProfileReader.read(log).coldStarts().get(0).modules();

    assertEquals(List.of("numpy", "numpy.core"), modules.stream().map(ModuleImport::name).toList());
    assertEquals(450, modules.get(0).cumulativeUs());
  }

  @Test
  void noSamplesMeansUsageUnknown() throws Exception {
    Profile profile = ProfileReader.read(csvAppLog());

    assertFalse(profile.hasSamples());
    assertFalse(profile.usageKnown());
    assertEquals(1, profile.callTree().nodeCount());
  }

  @Test
  void aLogWithoutRecordsIsAnError() throws Exception {
    Path log = dir.resolve("app.log");
    Files.writeString(log, "Traceback (most recent call last):\n  File \"x.py\"\nNameError: x\n");

    assertEquals(log + ": no '-X importtime' records found (3 lines read)", failure(log));
  }

  private static List<String> names(ColdStart coldStart) {
    return coldStart.modules().stream().map(ModuleImport::name).toList();
  }
}
