package dev.coldspy.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilerAgentTest {
  @TempDir Path dir;

  @Test
  void theEmbeddedAgentIsExtractedOncePerContent() throws Exception {
    ProfilerAgent agent = ProfilerAgent.embedded();
    assertTrue(agent.files().containsKey("coldspy/__main__.py"));
    assertTrue(agent.files().containsKey("coldspy/_boot.py"));

    Path first = agent.extract(dir);
    Path again = agent.extract(dir);
    TreeMap<String, byte[]> changed = new TreeMap<>(agent.files());
    changed.put("coldspy/__init__.py", "__version__ = 'changed'\n".getBytes(StandardCharsets.UTF_8));
    Path other = new ProfilerAgent(changed).extract(dir);

    assertEquals(first, again);
    assertNotEquals(first, other);
    assertEquals(agent.files().keySet().size(), Files.walk(first).filter(Files::isRegularFile).count());
    assertEquals(List.of("agent-"), List.of(first.getFileName().toString().substring(0, 6)));
    try (var leftovers = Files.list(dir)) {
      assertEquals(2, leftovers.count(), "no half-extracted staging directories remain");
    }
  }

  @Test
  void aDirectoryWithoutTheAgentIsRejected() throws Exception {
    Files.createDirectories(dir.resolve("coldspy"));
    Files.writeString(dir.resolve("coldspy/__init__.py"), "");

    AgentException error = assertThrows(AgentException.class, () -> ProfilerAgent.fromDirectory(dir));
    assertTrue(error.getMessage().startsWith("this build of coldspy.jar does not embed the profiler agent"),
        error.getMessage());
  }

  @Test
  void agentCommandPutsTheAgentFirstOnThePath() {
    List<String> command = ProfilerAgent.command("python3", Path.of("/cache/agent-1"), List.of("run", "h.py:h"));

    assertEquals("python3", command.get(0));
    assertEquals("-c", command.get(1));
    assertEquals(List.of("/cache/agent-1", "run", "h.py:h"), command.subList(3, 6));
  }
}
