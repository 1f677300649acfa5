package dev.coldspy.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.Span;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the fix corpus: input + request in, the expected file or the expected refusal out. */
class FixCorpusTest {

  static Stream<FixCorpus> cases() throws IOException {
    return FixCorpus.all();
  }

  static Stream<FixCorpus> fixedCases() throws IOException {
    return FixCorpus.all().filter(c -> c.refusal() == null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixProducesTheExpectedFileOrRefusesWithTheReason(FixCorpus c) {
    PythonModule module = c.parse(c.input());
    FixPlanner planner = new FixPlanner(c.options());
    List<FixRequest> requests = c.fixRequests(module);
    if (c.refusal() != null) {
      for (FixRequest request : requests) {
        ImportStatement statement = module.imports().statement(request.statement()).orElseThrow();
        FixPlan plan = planner.plan(module, statement, request.names(), request.kinds().get(0));
        FixPlan.Unsafe unsafe = assertInstanceOf(FixPlan.Unsafe.class, plan, () -> c + " should be refused");
        assertTrue(
            unsafe.reason().contains(c.refusal()),
            () -> c + ": reason '" + unsafe.reason() + "' does not mention '" + c.refusal() + "'");
      }
      return;
    }
    assertNotNull(c.expected(), c + ": needs expected.py or a refusal");
    FixApplier.Result result = new FixApplier(planner).apply(module, requests);
    assertEquals(List.of(), result.refused(), c + ": a requested fix was refused");
    assertEquals(c.expected(), result.module().source(), c + ": fixed file");
  }

  /** isort/ruff-clean code stays clean: a fix puts what it adds where isort would and leaves no stray blank lines. */
  @Test
  void everyIsortCleanInputHasAnIsortCleanExpectedOutput() throws IOException {
    Assumptions.assumeTrue(Ruff.available(), "ruff is not installed (scripts/setup.d/20-python.sh)");
    List<String> unclean = new ArrayList<>();
    int checked = 0;
    for (FixCorpus c : fixedCases().toList()) {
      if (Ruff.checkImports(c.input()).clean()) {
        checked++;
        Ruff.Result expected = Ruff.checkImports(c.expected());
        if (!expected.clean()) {
          unclean.add(c.name() + ": " + expected.output().strip());
        }
      }
    }
    assertTrue(checked >= 20, "only " + checked + " corpus inputs are isort-clean");
    assertEquals(List.of(), unclean);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixedCases")
  void fixedFileParsesWithoutNewSyntaxErrors(FixCorpus c) {
    PythonModule fixed = c.parse(c.expected());
    List<String> errors = new ArrayList<>();
    for (Span error : fixed.syntaxErrors()) {
      String text = fixed.text().slice(error).strip();
      if (!text.equals("lazy")) { // PEP 810's soft keyword is newer than the grammar
        errors.add(text);
      }
    }
    if (c.syntaxErrors()) {
      assertTrue(
          errors.size() <= c.parse(c.input()).syntaxErrors().size(), () -> c + ": new syntax errors " + errors);
    } else {
      assertEquals(List.of(), errors, c + ": syntax errors in the fixed file");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixedCases")
  void fixingTheFixedFileAgainChangesNothing(FixCorpus c) {
    PythonModule original = c.parse(c.input());
    FixPlanner planner = new FixPlanner(c.options());
    PythonModule fixed = new FixApplier(planner).apply(original, c.fixRequests(original)).module();
    List<FixRequest> again = new ArrayList<>();
    for (FixCorpus.Request request : c.requests()) {
      Set<String> names = new LinkedHashSet<>(request.names());
      if (names.isEmpty()) {
        names.addAll(c.statement(original, request).boundNames());
      }
      for (ImportStatement statement : fixed.imports().moduleLevel()) {
        Set<String> bound = new LinkedHashSet<>(statement.boundNames());
        bound.retainAll(names);
        if (!bound.isEmpty()) {
          again.add(new FixRequest(statement.index(), bound, request.kind()));
        }
      }
    }
    FixApplier.Result second = new FixApplier(planner).apply(fixed, again);
    assertEquals(fixed.source(), second.module().source(), c + ": a second run changed the file");
  }
}
