package dev.coldspy.intellij;

import com.intellij.codeInsight.intention.IntentionAction;
import com.intellij.lang.annotation.AnnotationBuilder;
import com.intellij.lang.annotation.AnnotationHolder;
import com.intellij.lang.annotation.HighlightSeverity;
import com.intellij.openapi.editor.Document;
import com.intellij.openapi.editor.markup.GutterIconRenderer;
import com.intellij.openapi.util.IconLoader;
import com.intellij.openapi.util.TextRange;
import com.redhat.devtools.lsp4ij.LSPIJUtils;
import com.redhat.devtools.lsp4ij.client.features.LSPDiagnosticFeature;
import java.util.List;
import java.util.Objects;
import javax.swing.Icon;
import org.eclipse.lsp4j.Diagnostic;
import org.jetbrains.annotations.NotNull;

/**
 * Creates LSP4IJ's usual annotation for each ColdSpy diagnostic and adds a gutter icon on its import line
 * whose tooltip is the server's message (pattern, milliseconds per cold start, usage). All the numbers come
 * from the server; this class only decides where they are drawn.
 */
final class ImportCostGutterFeature extends LSPDiagnosticFeature {
  private static final Icon COLD_START_COST = IconLoader.getIcon("/icons/coldStartCost.svg", ImportCostGutterFeature.class);

  @Override
  public void createAnnotation(
      @NotNull Diagnostic diagnostic,
      @NotNull Document document,
      @NotNull List<IntentionAction> fixes,
      @NotNull AnnotationHolder holder) {
    TextRange range = LSPIJUtils.toTextRange(diagnostic.getRange(), document, null, true);
    HighlightSeverity severity = getHighlightSeverity(diagnostic);
    if (range == null || severity == null) {
      return;
    }
    AnnotationBuilder annotation =
        holder
            .newAnnotation(severity, getMessage(diagnostic))
            .tooltip(getTooltip(diagnostic))
            .range(range)
            .gutterIconRenderer(new ImportCostIcon(getMessage(diagnostic)));
    if (range.isEmpty()) {
      annotation = annotation.afterEndOfLine();
    }
    var highlightType = getProblemHighlightType(diagnostic.getTags());
    if (highlightType != null) {
      annotation = annotation.highlightType(highlightType);
    }
    for (IntentionAction fix : fixes) {
      annotation = annotation.withFix(fix);
    }
    annotation.create();
  }

  /** The gutter icon of one import line; equal icons let the editor keep the mark across re-highlighting. */
  private static final class ImportCostIcon extends GutterIconRenderer {
    private final String cost;

    ImportCostIcon(String cost) {
      this.cost = cost;
    }

    @Override
    public @NotNull Icon getIcon() {
      return COLD_START_COST;
    }

    @Override
    public String getTooltipText() {
      return cost;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof ImportCostIcon icon && icon.cost.equals(cost);
    }

    @Override
    public int hashCode() {
      return Objects.hash(cost);
    }
  }
}
