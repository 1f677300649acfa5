package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeLensServiceTest {
  @TempDir Path root;

  private TestProject project() {
    return new TestProject(root)
        .file("handler.py",
            """
            import acme_analytics
            from helpers import tidy


            def helper():
                return tidy()


            @traced
            def handler(event, context):
                return helper()
            """)
        .file("helpers.py", "def tidy():\n    return 1\n")
        .module("acme_analytics", 600, "handler.py", 1)
        .module("helpers", 1, "handler.py", 2)
        .usedIn("helpers", 40);
  }

  @Test
  void theHandlerFunctionShowsInitCostSavingAndARe_profileCommand() {
    List<CodeLens> lenses = CodeLensService.lenses(project().analyse("handler.py"), TestProject.NEVER_CANCELLED);

    assertEquals(1, lenses.size());
    CodeLens lens = lenses.get(0);
    assertEquals(new Position(9, 0), lens.getRange().getStart());
    assertEquals("⏱ init 606.0 ms per cold start (40 cold starts) · ColdSpy could save ~600.0 ms · re-profile",
        lens.getCommand().getTitle());
    assertEquals("coldspy.profile", lens.getCommand().getCommand());
    assertEquals(List.of(Map.of("handler", "handler.py:handler", "root", root.toString())),
        lens.getCommand().getArguments());
  }

  @Test
  void otherFilesOfTheAppHaveNoLens() {
    assertEquals(List.of(), CodeLensService.lenses(project().analyse("helpers.py"), TestProject.NEVER_CANCELLED));
  }

  @Test
  void aDottedHandlerNameFindsItsModule() {
    TestProject project = project().handler("handler.handler");
    assertEquals(1, CodeLensService.lenses(project.analyse("handler.py"), TestProject.NEVER_CANCELLED).size());
  }

  @Test
  void withoutAProfileEachFunctionLambdaCouldCallOffersProfiling() {
    DocumentAnalysis analysis = new TestProject(root).withoutProfile()
        .file("src/app.py",
            """
            import json


            def lambda_handler(event, context):
                return json.dumps(event)


            async def on_message(evt, ctx, retries=3):
                return evt


            def handle(event, context, extra):  # a third parameter without a default
                return event


            def rule(event, context):  # a decorator factory: returns the function it defines
                def register(check):
                    return check
                return register


            @rule
            def checked(event, context):
                return 1


            def add(a, b):
                return a + b


            class Api:
                def handler(self, event, context):
                    return 1
            """)
        .analyse("src/app.py");

    List<CodeLens> lenses = CodeLensService.lenses(analysis, TestProject.NEVER_CANCELLED);

    assertEquals(List.of(3, 7, 22), lenses.stream().map(l -> l.getRange().getStart().getLine()).toList());
    assertEquals(List.of("Profile cold starts…"),
        lenses.stream().map(l -> l.getCommand().getTitle()).distinct().toList());
    assertEquals("coldspy.profileHandler", lenses.get(0).getCommand().getCommand());
    assertEquals(List.of(Map.of("handler", "src/app.py:lambda_handler", "root", root.toString())),
        lenses.get(0).getCommand().getArguments());
  }

  @Test
  void aProfiledProjectsOtherFilesOfferNoProfiling() {
    TestProject project = project().file("jobs.py", "def job_handler(event, context):\n    return 1\n");
    assertEquals(List.of(), CodeLensService.lenses(project.analyse("jobs.py"), TestProject.NEVER_CANCELLED));
  }
}
