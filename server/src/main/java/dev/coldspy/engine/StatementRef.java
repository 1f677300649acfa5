package dev.coldspy.engine;

/**
 * Which import statement of an application, from parse to edit: the file by its path below the application
 * root ('/'-separated, as {@link SourceFile#relativePath()}) and the statement by its place in the file's
 * import index (0 is the first statement, in document order). Two statements on one line are two refs.
 * Sites, costs and findings carry it; code actions and {@code coldspy fix} address statements by it.
 */
public record StatementRef(String file, int index) {}
