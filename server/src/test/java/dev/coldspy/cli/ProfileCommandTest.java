package dev.coldspy.cli;

import static dev.coldspy.cli.MainTest.coldspy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coldspy.cli.MainTest.Run;
import dev.coldspy.profile.ColdStart;
import dev.coldspy.profile.ModuleImport;
import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

@ExtendWith(PrivateAgentCache.class)
class ProfileCommandTest {
  @TempDir Path dir;

  @Test
  void profilesAHandlerWithTheEmbeddedAgent() throws Exception {
    Path app = Files.createDirectory(dir.resolve("greeter"));
    Files.writeString(app.resolve("handler.py"), "import json\nimport csv\n\n"
        + "def handler(event, context):\n    return json.dumps({'hello': event.get('name')})\n");
    Path event = Files.writeString(app.resolve("event.json"), "{\"name\": \"cold\"}");
    Path output = dir.resolve("out/greeter.json");

    Run run = coldspy("profile", app.resolve("handler.py") + ":handler", "--event", event.toString(),
        "--cold-starts", "2", "--invocations", "1", "-o", output.toString(), "--python", "python3");

    assertEquals(ExitCodes.OK, run.status(), run.err());
    Profile profile = ProfileReader.read(output);
    assertEquals("greeter", profile.app().name());
    assertEquals(2, profile.coldStarts().size());
    ColdStart first = profile.coldStarts().get(0);
    ModuleImport csv = first.modulesByName().get("csv");
    assertTrue(csv != null && csv.trigger() != null && csv.trigger().line() == 2, String.valueOf(csv));
  }

  @Test
  void profilesAHandlerFileWhoseNameIsNotAnIdentifierAsLambdaLoadsIt() throws Exception {
    // Lambda's handler setting `measure-heart-rate.handler` imports this file; Python's import statement could not.
    Path app = Path.of("../fixtures/apps/heart_rate").toAbsolutePath().normalize();
    Path output = dir.resolve("heart_rate.json");

    Run run = coldspy("profile", app.resolve("measure-heart-rate.py") + ":handler", "--event",
        app.resolve("events/resting-ppg-wrist.json").toString(), "--cold-starts", "1", "--invocations", "1",
        "--interval-ms", "0", "-o", output.toString(), "--python", "python3");

    assertEquals(ExitCodes.OK, run.status(), run.err());
    ColdStart coldStart = ProfileReader.read(output).coldStarts().get(0);
    ModuleImport heartpy = coldStart.modulesByName().get("heartpy");
    assertEquals("measure-heart-rate", heartpy.parent(), String.valueOf(heartpy));
    assertEquals(9, heartpy.trigger().line(), String.valueOf(heartpy));
    assertEquals(1, coldStart.invocations().size());
  }

  @Test
  void theProfiledInterpretersGetTheVariablesWorkingDirectoryAndPathTheyAreGiven() throws Exception {
    Path app = Files.createDirectory(dir.resolve("app"));
    Files.writeString(app.resolve("handler.py"), """
        import json
        import os

        import layer_helper  # found through --pythonpath


        def handler(event, context):
            with open(os.environ["REPORT"], "w") as out:
                json.dump({"mode": os.environ["MODE"], "region": os.environ["REGION"], "cwd": os.getcwd(),
                           "helper": layer_helper.__file__, "inherited": os.environ.get("PATH") is not None}, out)
        """);
    Path layer = Files.createDirectories(dir.resolve("layer/python"));
    Files.writeString(layer.resolve("layer_helper.py"), "");
    Path envFile = Files.writeString(dir.resolve("app.env"), "# the app's settings\nexport MODE=file\n"
        + "REGION=\"eu-west-1\"\n");
    Path workingDirectory = Files.createDirectory(dir.resolve("work"));
    Path report = dir.resolve("report.json");
    Path event = Files.writeString(app.resolve("event.json"), "{}");

    Run run = coldspy("profile", app.resolve("handler.py") + ":handler", "--event", event.toString(),
        "--cold-starts", "1", "--invocations", "1", "-o", dir.resolve("out.json").toString(), "--python", "python3",
        "--env-file", envFile.toString(), "--env", "MODE=cli", "--env", "REPORT=" + report, "--cwd",
        workingDirectory.toString(), "--pythonpath", layer.toString());

    assertEquals(ExitCodes.OK, run.status(), run.err());
    JsonNode seen = new ObjectMapper().readTree(report.toFile());
    assertEquals("cli", seen.get("mode").asText()); // --env wins over --env-file
    assertEquals("eu-west-1", seen.get("region").asText());
    assertEquals(workingDirectory.toRealPath().toString(), Path.of(seen.get("cwd").asText()).toRealPath().toString());
    assertEquals(layer.resolve("layer_helper.py").toRealPath().toString(),
        Path.of(seen.get("helper").asText()).toRealPath().toString());
    assertTrue(seen.get("inherited").asBoolean(), "the caller's environment is inherited");
  }

  @Test
  void aBadEnvironmentOptionIsAOneLineErrorBeforeAnythingRuns() throws Exception {
    Path handler = Files.writeString(dir.resolve("handler.py"), "def handler(e, c):\n    return 1\n");
    Path event = Files.writeString(dir.resolve("e.json"), "{}");
    String[] profile = {"profile", handler + ":handler", "--event", event.toString(), "--python", "/no/such/python"};

    Run noEquals = coldspy(with(profile, "--env", "NOEQUALS"));
    Run badName = coldspy(with(profile, "--env", "1ST=x"));
    Run noEnvFile = coldspy(with(profile, "--env-file", dir.resolve("missing.env").toString()));
    Run noCwd = coldspy(with(profile, "--cwd", dir.resolve("nowhere").toString()));
    Run noPathDirectory = coldspy(with(profile, "--pythonpath", dir + java.io.File.pathSeparator + dir.resolve("gone")));

    for (Run run : List.of(noEquals, badName, noEnvFile, noCwd, noPathDirectory)) {
      assertEquals(ExitCodes.ERROR, run.status(), run.err());
    }
    assertEquals("coldspy: --env: expected NAME=VALUE with NAME made of letters, digits and _, got 'NOEQUALS'\n",
        noEquals.err());
    assertEquals("coldspy: --env: expected NAME=VALUE with NAME made of letters, digits and _, got '1ST=x'\n",
        badName.err());
    assertEquals("coldspy: --env-file: " + dir.resolve("missing.env") + " is not a file\n", noEnvFile.err());
    assertEquals("coldspy: --cwd: " + dir.resolve("nowhere") + " is not a directory\n", noCwd.err());
    assertEquals("coldspy: --pythonpath: " + dir.resolve("gone") + " is not a directory\n", noPathDirectory.err());
  }

  @Test
  void helpSaysTheCallersEnvironmentIsOtherwiseInherited() {
    Run run = coldspy("profile", "--help");

    assertEquals(ExitCodes.OK, run.status());
    String help = run.out().replaceAll("\\s+", " ");
    assertTrue(help.contains("The profiled interpreters inherit this command's environment variables unchanged"
        + " (--env and --env-file add or override some)"), help);
    assertTrue(help.contains("--pythonpath=DIRS"), help);
  }

  private static String[] with(String[] arguments, String... more) {
    List<String> all = new ArrayList<>(List.of(arguments));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void aMissingInterpreterIsAOneLineError() throws Exception {
    Path handler = Files.writeString(dir.resolve("handler.py"), "def handler(e, c):\n    return 1\n");
    Path event = Files.writeString(dir.resolve("e.json"), "{}");

    Run run = coldspy("profile", handler + ":handler", "--event", event.toString(), "--python", "/no/such/python3.99");

    assertEquals(ExitCodes.ERROR, run.status());
    assertEquals("coldspy: cannot run the Python interpreter '/no/such/python3.99' (not found); install Python 3 or"
        + " name one with --python\n", run.err());
  }

  @Test
  void missingHandlerOrEventIsReportedBeforeRunningAnything() throws Exception {
    Path event = Files.writeString(dir.resolve("e.json"), "{}");

    Run noHandler = coldspy("profile", dir.resolve("nope.py") + ":handler", "--event", event.toString());
    Run noEvent = coldspy("profile", event + ":x", "--event", dir.resolve("missing.json").toString());

    assertEquals(ExitCodes.ERROR, noHandler.status());
    assertEquals("coldspy: handler file not found: " + dir.resolve("nope.py") + "\n", noHandler.err());
    assertEquals(ExitCodes.ERROR, noEvent.status());
    assertEquals("coldspy: event file or directory not found: " + dir.resolve("missing.json") + "\n", noEvent.err());
  }

  @Test
  void agentFailureGivesStatusTwo() throws Exception {
    Path handler = Files.writeString(dir.resolve("handler.py"), "raise ImportError('broken at import')\n"
        + "def handler(e, c):\n    return 1\n");
    Path event = Files.writeString(dir.resolve("e.json"), "{}");

    Run run = coldspy("profile", handler + ":handler", "--event", event.toString(), "--cold-starts", "1",
        "-o", dir.resolve("out.json").toString());

    assertEquals(ExitCodes.ERROR, run.status());
  }

  @Test
  void everyOptionReachesTheAgentAndTheStatedDefaultsAreTheAgents() throws Exception {
    ProfileCommand command = new ProfileCommand();
    new CommandLine(command).parseArgs("h.py:handler", "--event", "e.json", "--cold-starts", "2", "--invocations",
        "1", "--interval-ms", "0.5", "--clock", "wall", "--usage-signal", "none", "--name", "billing",
        "--memory-mb", "256", "--timeout-s", "30", "-o", "out.json", "--env", "A=1", "--env", "B=x=y",
        "--env-file", "prod.env", "--cwd", "work", "--pythonpath", "layer/python", "--pythonpath", "a:b");
    List<String> arguments = command.request().agentArguments();

    // The agent's own argument parser, on what we pass it and on nothing but a handler (its defaults).
    JsonNode parsed = agentParse(arguments);
    JsonNode defaults = agentParse(List.of("run", "h.py:handler"));

    assertEquals("{\"cold_starts\":2,\"invocations\":1,\"interval_ms\":0.5,\"clock\":\"wall\","
        + "\"usage_signal\":\"none\",\"name\":\"billing\",\"memory_mb\":256,\"timeout_s\":30,"
        + "\"output\":\"out.json\"}", pick(parsed, "cold_starts", "invocations", "interval_ms", "clock",
        "usage_signal", "name", "memory_mb", "timeout_s", "output").toString());
    assertEquals("{\"env\":[\"A=1\",\"B=x=y\"],\"env_file\":[\"prod.env\"],\"cwd\":\"work\","
        + "\"pythonpath\":[\"layer/python\",\"a:b\"]}", pick(parsed, "env", "env_file", "cwd", "pythonpath").toString());
    Pattern stated = Pattern.compile("\\(agent default: ([^)]+)\\)");
    int checked = 0;
    for (OptionSpec option : new CommandLine(new ProfileCommand()).getCommandSpec().options()) {
      Matcher matcher = stated.matcher(String.join(" ", option.description()));
      if (matcher.find()) {
        String dest = option.longestName().replaceFirst("^--", "").replace('-', '_');
        JsonNode actual = defaults.get(dest);
        String expected = matcher.group(1);
        assertTrue(actual.isNumber() ? actual.asDouble() == Double.parseDouble(expected)
            : actual.asText().equals(expected), option.longestName() + " says " + expected + ", the agent " + actual);
        checked++;
      }
    }
    assertEquals(7, checked);
  }

  /** {@code vars(parser().parse_args(arguments))} of the embedded agent, as JSON. */
  private JsonNode agentParse(List<String> arguments) throws Exception {
    Path agentHome = dev.coldspy.agent.TestAgent.extract(dir);
    List<String> command = new ArrayList<>(List.of("python3", "-c", "import json, sys; sys.path.insert(0, sys.argv[1]);"
        + " from coldspy.__main__ import parser; print(json.dumps(vars(parser().parse_args(sys.argv[2:]))))",
        agentHome.toString()));
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), "the agent refused " + arguments);
    return new ObjectMapper().readTree(out);
  }

  private static JsonNode pick(JsonNode object, String... fields) {
    ObjectNode picked = new ObjectMapper().createObjectNode();
    for (String field : fields) {
      picked.set(field, object.get(field));
    }
    return picked;
  }

}
