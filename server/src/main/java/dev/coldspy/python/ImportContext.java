package dev.coldspy.python;

/**
 * Where an import statement sits, as far as fix safety cares.
 *
 * @param importErrorFallback inside the {@code try:} body of a try statement with a handler that catches
 *     {@code ImportError} ({@code ImportError}, {@code ModuleNotFoundError}, {@code Exception},
 *     {@code BaseException} or a bare {@code except:}), or inside such a handler
 * @param typeCheckingOnly inside the body of {@code if TYPE_CHECKING:} (or {@code if typing.TYPE_CHECKING:})
 * @param conditional under any other compound statement (if/elif/else, try, with, for, while, match) below
 *     its scope: the import may or may not run
 * @param inTryStatement anywhere inside a try statement (body, handler, else or finally)
 * @param inWithStatement inside a with statement
 */
public record ImportContext(
    boolean importErrorFallback,
    boolean typeCheckingOnly,
    boolean conditional,
    boolean inTryStatement,
    boolean inWithStatement) {
  public static final ImportContext PLAIN = new ImportContext(false, false, false, false, false);
}
