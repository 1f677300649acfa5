package dev.coldspy.fix;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random Python modules for the fuzzer, from one seed: a few imports (every form the import index knows)
 * and top-level code that uses the imported names in the places where fixes go wrong — function bodies,
 * branches, loops, {@code match} subjects, patterns, guards and bodies, comprehensions, lambdas, defaults,
 * decorators, annotations, class bodies, {@code try}/{@code except*}, one-line blocks, {@code global},
 * {@code __all__}, star imports, shadowing assignments. The output is meant to compile (the fuzzer also
 * mutates it into text that does not).
 */
final class PythonSourceGenerator {
  private static final String[][] MODULES = {
    {"json"}, {"math"}, {"decimal"}, {"fractions"}, {"textwrap"}, {"os", "path"}, {"xml", "dom", "minidom"},
    {"collections", "abc"}, {"http"}, {"statistics"}, {"string"}, {"itertools"},
  };
  private static final String[] ATTRIBUTES = {"x", "y", "loads", "Decimal", "Fraction", "OK", "mean"};

  private final Random random;
  private final List<String> names = new ArrayList<>();
  private final StringBuilder out = new StringBuilder();
  private int functions;

  PythonSourceGenerator(long seed) {
    this.random = new Random(seed);
  }

  String generate() {
    if (random.nextInt(6) == 0) {
      out.append("\"\"\"Module docstring.\"\"\"\n");
    }
    if (random.nextInt(8) == 0) {
      out.append("from __future__ import annotations\n");
    }
    int imports = 1 + random.nextInt(5);
    for (int i = 0; i < imports; i++) {
      importStatement();
    }
    if (names.isEmpty()) {
      names.add("json");
      out.append("import json\n");
    }
    int statements = 2 + random.nextInt(7);
    for (int i = 0; i < statements; i++) {
      out.append('\n');
      topLevel();
    }
    return out.toString();
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }

  private String name() {
    return names.get(random.nextInt(names.size()));
  }

  /** An expression that uses an imported name. */
  private String use() {
    String name = name();
    return switch (random.nextInt(4)) {
      case 0 -> name;
      case 1 -> name + "." + pick(ATTRIBUTES);
      case 2 -> "getattr(" + name + ", \"" + pick(ATTRIBUTES) + "\", None)";
      default -> "str(" + name + ")";
    };
  }

  private void importStatement() {
    String[] module = MODULES[random.nextInt(MODULES.length)];
    String dotted = String.join(".", module);
    String prefix = random.nextInt(10) == 0 ? "if True:\n    " : random.nextInt(12) == 0 ? "try:\n    " : "";
    String line;
    switch (random.nextInt(5)) {
      case 0 -> {
        line = "import " + dotted;
        names.add(module[0]);
      }
      case 1 -> {
        String alias = "m" + names.size();
        line = "import " + dotted + " as " + alias;
        names.add(alias);
      }
      case 2 -> {
        String first = pick(ATTRIBUTES);
        String second = pick(ATTRIBUTES);
        line = random.nextBoolean()
            ? "from " + dotted + " import " + first + ", " + second
            : "from " + dotted + " import (\n    " + first + ",  # note\n    " + second + ",\n)";
        names.add(first);
        names.add(second);
      }
      case 3 -> {
        line = "from " + dotted + " import " + pick(ATTRIBUTES) + " as a" + names.size();
        names.add("a" + names.size());
      }
      default -> line = random.nextInt(3) == 0 ? "from " + dotted + " import *" : "import " + dotted + "; import json";
    }
    if (line.endsWith("import json")) {
      names.add(module[0]);
      names.add("json");
    }
    out.append(prefix).append(prefix.isEmpty() ? line : line.replace("\n", "\n    ")).append('\n');
    if (prefix.startsWith("try")) {
      out.append("except ImportError:\n    pass\n");
    }
  }

  private void topLevel() {
    switch (random.nextInt(10)) {
      case 0, 1, 2, 3 -> function("", 0);
      case 4 -> {
        out.append("class C").append(functions++).append(random.nextBoolean() ? "(object)" : "").append(":\n");
        if (random.nextBoolean()) {
          out.append("    attribute: ").append(name()).append(" = None\n");
        }
        function("    ", 1);
      }
      case 5 -> {
        String start = pick("VALUE = ", "if __name__ == '__main__': print(", "CACHE = {}; KEY = ");
        out.append(start).append(use()).append(start.endsWith("(") ? ")" : "").append('\n');
      }
      case 6 -> out.append("__all__ = [\"").append(name()).append("\"]\n");
      case 7 -> out.append(name()).append(" = ").append(pick("None", "1", "lambda: 0")).append('\n');
      case 8 -> out.append("handler = lambda event, context: ").append(use()).append('\n');
      default -> out.append("def f").append(functions++).append("(x=").append(use()).append("):\n    return x\n");
    }
  }

  private void function(String indent, int depth) {
    if (random.nextInt(5) == 0) {
      out.append(indent).append('@').append(random.nextBoolean() ? name() : "staticmethod").append('\n');
    }
    String parameter = random.nextInt(3) == 0 ? "value: " + name() + "." + pick(ATTRIBUTES) : "value";
    String returns = random.nextInt(4) == 0 ? " -> " + name() : "";
    out.append(indent).append(random.nextInt(6) == 0 ? "async def" : "def").append(" f").append(functions++)
        .append('(').append(depth == 1 ? "self, " : "").append(parameter).append(')').append(returns).append(":\n");
    int body = 1 + random.nextInt(3);
    for (int i = 0; i < body; i++) {
      statement(indent + "    ", depth + 1);
    }
  }

  private void statement(String indent, int depth) {
    String inner = indent + "    ";
    switch (random.nextInt(depth > 3 ? 4 : 14)) {
      case 0, 1 -> out.append(indent).append("return ").append(use()).append('\n');
      case 2 -> out.append(indent).append("x = ").append(use()).append('\n');
      case 3 -> out.append(indent).append("print(").append(use()).append(")\n");
      case 4 -> {
        out.append(indent).append("if value:\n");
        statement(inner, depth + 1);
        if (random.nextBoolean()) {
          out.append(indent).append("else:\n");
          statement(inner, depth + 1);
        }
      }
      case 5 -> {
        out.append(indent).append(pick("for item in value:\n", "while value:\n"));
        statement(inner, depth + 1);
      }
      case 6 -> {
        out.append(indent).append("match ").append(random.nextBoolean() ? "value" : use()).append(":\n");
        int cases = 1 + random.nextInt(3);
        for (int i = 0; i < cases; i++) {
          String pattern = switch (random.nextInt(4)) {
            case 0 -> name() + "." + pick(ATTRIBUTES);
            case 1 -> name() + "." + pick(ATTRIBUTES) + "()";
            case 2 -> "[first, *rest] if " + use();
            default -> String.valueOf(i);
          };
          out.append(inner).append("case ").append(pattern).append(":\n");
          statement(inner + "    ", depth + 2);
        }
        out.append(inner).append("case _:\n").append(inner).append("    pass\n");
      }
      case 7 -> out.append(indent).append("return [").append(use()).append(" for item in value if ")
          .append(use()).append("]\n");
      case 8 -> {
        out.append(indent).append("try:\n");
        statement(inner, depth + 1);
        boolean star = random.nextBoolean(); // an except* block may not return
        out.append(indent).append(star ? "except* " : "except ").append(
            random.nextBoolean() ? "ValueError" : "(" + name() + ".error, OSError)").append(":\n");
        if (star) {
          out.append(inner).append("print(").append(use()).append(")\n");
        } else {
          statement(inner, depth + 1);
        }
      }
      case 9 -> out.append(indent).append("if value: return ").append(use()).append('\n');
      case 10 -> out.append(indent).append("global ").append(name()).append('\n');
      case 11 -> out.append(indent).append(name()).append(" = ").append(use()).append('\n');
      case 12 -> {
        out.append(indent).append("def inner(y=").append(random.nextBoolean() ? "None" : use()).append("):\n");
        statement(inner, depth + 1);
        out.append(indent).append("return inner\n");
      }
      default -> out.append(indent).append("with open(value) as handle: x = ").append(use()).append('\n');
    }
  }
}
