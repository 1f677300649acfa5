package dev.coldspy.intellij;

import com.intellij.lang.annotation.AnnotationHolder;
import com.intellij.lang.annotation.ExternalAnnotator;
import com.intellij.lang.annotation.HighlightSeverity;
import com.intellij.openapi.diagnostic.Logger;
import com.intellij.openapi.editor.Document;
import com.intellij.openapi.editor.Editor;
import com.intellij.openapi.editor.markup.GutterIconRenderer;
import com.intellij.openapi.project.Project;
import com.intellij.openapi.util.IconLoader;
import com.intellij.openapi.util.TextRange;
import com.intellij.openapi.vfs.VirtualFile;
import com.intellij.psi.PsiDocumentManager;
import com.intellij.psi.PsiFile;
import com.redhat.devtools.lsp4ij.LSPIJUtils;
import com.redhat.devtools.lsp4ij.LanguageServerItem;
import com.redhat.devtools.lsp4ij.LanguageServerManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.swing.Icon;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintLabelPart;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A gutter icon on every import line the server has a cost for, with that cost as its tooltip. The server says
 * which lines are profiled, and what they cost, in its {@code textDocument/inlayHint} answer (one hint per
 * profiled import); this annotator asks for the hints of the whole file through LSP4IJ's documented
 * {@code LanguageServerManager} and draws one silent annotation with an icon per hint. Registered for every
 * language (like LSP4IJ's own annotators) and limited to {@code *.py}, the files mapped to the server.
 */
public final class ImportCostGutterAnnotator
    extends ExternalAnnotator<ImportCostGutterAnnotator.Request, List<ImportCostGutterAnnotator.LineCost>> {
  private static final Logger LOG = Logger.getInstance(ImportCostGutterAnnotator.class);
  private static final Icon COLD_START_COST =
      IconLoader.getIcon("/icons/coldStartCost.svg", ImportCostGutterAnnotator.class);
  /** The daemon waits for doAnnotate: a server that is still starting gets the next pass instead. */
  private static final long ANSWER_SECONDS = 5;

  /** What doAnnotate needs, collected in the read action. */
  record Request(Project project, String uri, int lineCount) {}

  /** The tooltip of one profiled import line (0-based). */
  record LineCost(int line, String tooltip) {}

  @Override
  public @Nullable Request collectInformation(@NotNull PsiFile file, @NotNull Editor editor, boolean hasErrors) {
    VirtualFile virtualFile = file.getVirtualFile();
    if (virtualFile == null || !virtualFile.getName().endsWith(".py")) {
      return null;
    }
    return new Request(file.getProject(), LSPIJUtils.toUri(virtualFile).toString(), editor.getDocument().getLineCount());
  }

  @Override
  public @Nullable List<LineCost> doAnnotate(Request request) {
    try {
      LanguageServerItem server = LanguageServerManager.getInstance(request.project())
          .getLanguageServer(ColdSpyServerProcess.SERVER_ID)
          .get(ANSWER_SECONDS, TimeUnit.SECONDS);
      if (server == null) {
        return List.of();
      }
      InlayHintParams params = new InlayHintParams(new TextDocumentIdentifier(request.uri()),
          new Range(new Position(0, 0), new Position(request.lineCount(), 0)));
      List<InlayHint> hints = server.getServer().getTextDocumentService().inlayHint(params)
          .get(ANSWER_SECONDS, TimeUnit.SECONDS);
      List<LineCost> costs = new ArrayList<>();
      for (InlayHint hint : hints == null ? List.<InlayHint>of() : hints) {
        costs.add(new LineCost(hint.getPosition().getLine(), tooltip(hint)));
      }
      return costs;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception unavailable) {
      // not started yet, restarting, or slow: the next highlighting pass asks again
      LOG.debug("no ColdSpy inlay hints for " + request.uri(), unavailable);
      return null;
    }
  }

  @Override
  public void apply(@NotNull PsiFile file, List<LineCost> costs, @NotNull AnnotationHolder holder) {
    Document document = PsiDocumentManager.getInstance(file.getProject()).getDocument(file);
    if (document == null || costs == null) {
      return;
    }
    for (LineCost cost : costs) {
      if (cost.line() < 0 || cost.line() >= document.getLineCount()) {
        continue; // the text changed since the server answered
      }
      TextRange line = new TextRange(document.getLineStartOffset(cost.line()), document.getLineEndOffset(cost.line()));
      holder.newSilentAnnotation(HighlightSeverity.INFORMATION)
          .range(line)
          .gutterIconRenderer(new ImportCostIcon(cost.tooltip()))
          .create();
    }
  }

  /** The hint's label (the cost, e.g. "⏱ 1.05 s · 57 samples"), then its own tooltip when it has one. */
  static String tooltip(InlayHint hint) {
    String label = hint.getLabel().isLeft()
        ? hint.getLabel().getLeft()
        : String.join("", hint.getLabel().getRight().stream().map(InlayHintLabelPart::getValue).toList());
    if (hint.getTooltip() == null) {
      return label.strip();
    }
    String more = hint.getTooltip().map(text -> text, MarkupContent::getValue);
    return label.strip() + "\n" + more;
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
