package dev.coldspy.engine;

/**
 * Which import statement of an application, from parse to edit: the file by its path below the application
 * root ('/'-separated, as {@link SourceFile#relativePath()}) and the statement by its place in the file's
 * import index (0 is the first statement, in document order). Two statements on one line are two refs.
 * Sites, costs and findings carry it; code actions and {@code coldspy fix} address statements by it. A
 * module-level statement that is no import (charged for the imports its calls made, e.g. {@code model =
 * joblib.load(...)}) has the negative of its 1-based line as index, which matches no import statement.
 */
public record StatementRef(String file, int index) {
  /** True for an import statement, false for a module-level statement that is no import. */
  public boolean isImport() {
    return index >= 0;
  }
}
