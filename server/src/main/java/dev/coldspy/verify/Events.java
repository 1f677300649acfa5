package dev.coldspy.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.coldspy.cli.CliError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The events a verification passes to the handler, in order: named by file, parsed to check they are JSON. */
public final class Events {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, JsonNode> byName;

  private Events(Map<String, JsonNode> byName) {
    this.byName = byName;
  }

  /**
   * Event files, and directories whose {@code *.json} files are taken in name order.
   *
   * @throws CliError on a missing path, a file that is not JSON or no event at all
   */
  public static Events load(List<Path> paths) {
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    for (Path path : paths) {
      for (Path file : files(path)) {
        JsonNode event;
        try {
          event = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
          throw new CliError(file + ": not a JSON event: " + jsonProblem(e));
        } catch (IOException e) {
          throw new CliError(file + ": cannot read the event: " + e.getMessage());
        }
        if (event == null || event.isMissingNode()) {
          throw new CliError(file + ": not a JSON event: the file is empty");
        }
        String name = byName.containsKey(file.getFileName().toString()) ? file.toString() : file.getFileName().toString();
        byName.put(name, event);
      }
    }
    if (byName.isEmpty()) {
      throw new CliError(paths + ": no *.json event files");
    }
    return new Events(byName);
  }

  /** Jackson's message without the source description it appends, and where the problem is. */
  private static String jsonProblem(JsonProcessingException e) {
    String message = e.getOriginalMessage().lines().findFirst().orElse("");
    int detail = message.indexOf(" (start marker at");
    String problem = detail < 0 ? message : message.substring(0, detail);
    return e.getLocation() == null ? problem
        : problem + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }

  private static List<Path> files(Path path) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw new CliError(path + ": event file or directory not found");
    }
    try (Stream<Path> list = Files.list(path)) {
      return list.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new CliError(path + ": cannot list the events: " + e.getMessage());
    }
  }

  /** The event names, in the order of the first cold start. */
  public List<String> names() {
    return new ArrayList<>(byName.keySet());
  }

  /** Writes {@code [[name, event], ...]}, the form {@code cold_start.py} reads. */
  void write(Path file) throws IOException {
    ArrayNode pairs = JSON.createArrayNode();
    byName.forEach((name, event) -> pairs.addArray().add(name).add(event));
    JSON.writeValue(file.toFile(), pairs);
  }
}
