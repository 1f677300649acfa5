package dev.coldspy.engine;

import dev.coldspy.profile.ModuleLevelStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How messages name code the profile recorded by absolute path (libraries' files, calls into them). */
public final class CodePaths {
  /** Up to an installation's package folder, or the interpreter's own library folder. */
  private static final Pattern INSTALLED =
      Pattern.compile(".*/(?:site|dist)-packages/|.*/lib/python\\d+(?:\\.\\d+)?t?/|.*/Lib/");

  private CodePaths() {}

  /**
   * A recorded path as messages show it: below {@code site-packages}/{@code dist-packages} or the standard
   * library's folder ({@code igraph/__init__.py}, {@code pickle.py}), else below the app's root (a library
   * vendored next to the handler), else as recorded.
   *
   * @param appRoot the profile's recorded {@code app.root}, or null
   */
  public static String display(String recorded, String appRoot) {
    String path = recorded.replace('\\', '/');
    Matcher installed = INSTALLED.matcher(path);
    if (installed.lookingAt()) {
      return path.substring(installed.end());
    }
    if (appRoot != null) {
      String root = appRoot.replace('\\', '/');
      root = root.endsWith("/") ? root : root + "/";
      if (path.startsWith(root)) {
        return path.substring(root.length());
      }
    }
    return path;
  }

  /** The module a displayed file holds: {@code joblib/numpy_pickle.py} → {@code joblib.numpy_pickle}. */
  static String module(String displayPath) {
    String module = displayPath.replaceAll("\\.py[cw]?$", "").replaceAll("/__init__$", "");
    return module.startsWith("/") ? displayPath : module.replace('/', '.');
  }

  /**
   * The code a module-level statement's call went through down to the import, one module per step
   * ({@code joblib.numpy_pickle → pickle}); "…" stands for frames the profile left out.
   */
  static String callPath(ModuleLevelStatement statement, String appRoot) {
    List<String> steps = new ArrayList<>();
    List<ModuleLevelStatement.Call> calls = statement.calls();
    int omittedAt = statement.omittedFrames() > 0 ? calls.size() / 2 : -1;
    for (int i = 0; i < calls.size(); i++) {
      if (i == omittedAt) {
        steps.add("…");
      }
      String module = module(display(calls.get(i).file(), appRoot));
      if (steps.isEmpty() || !steps.get(steps.size() - 1).equals(module)) {
        steps.add(module);
      }
    }
    return String.join(" → ", steps);
  }
}
