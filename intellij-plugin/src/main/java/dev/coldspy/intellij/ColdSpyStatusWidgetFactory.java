package dev.coldspy.intellij;

import com.intellij.openapi.project.Project;
import com.intellij.openapi.util.NlsContexts;
import com.intellij.openapi.wm.StatusBar;
import com.intellij.openapi.wm.StatusBarWidget;
import com.intellij.openapi.wm.StatusBarWidgetFactory;
import java.awt.Component;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Registered in plugin.xml as {@code statusBarWidgetFactory}: a text in the status bar with what the ColdSpy
 * server last said ({@link ColdSpyStatus}): "ColdSpy: starting…", "ColdSpy: no profile", or
 * "handler: 812 ms init (−640 ms possible)" with the details as tooltip.
 */
public final class ColdSpyStatusWidgetFactory implements StatusBarWidgetFactory {
  static final String ID = "dev.coldspy.status";

  @Override
  public @NotNull String getId() {
    return ID;
  }

  @Override
  public @NotNull @NlsContexts.ConfigurableName String getDisplayName() {
    return "ColdSpy";
  }

  @Override
  public @NotNull StatusBarWidget createWidget(@NotNull Project project) {
    return new Widget(project);
  }

  /** The widget: a text presentation of the project's {@link ColdSpyStatus}. */
  private static final class Widget implements StatusBarWidget, StatusBarWidget.TextPresentation {
    private final Project project;

    Widget(Project project) {
      this.project = project;
    }

    @Override
    public @NotNull String ID() {
      return ID;
    }

    @Override
    public @Nullable WidgetPresentation getPresentation() {
      return this;
    }

    @Override
    public void install(@NotNull StatusBar statusBar) {}

    @Override
    public @NotNull String getText() {
      return ColdSpyStatus.getInstance(project).current().text();
    }

    @Override
    public @Nullable String getTooltipText() {
      return ColdSpyStatus.getInstance(project).current().tooltip();
    }

    @Override
    public float getAlignment() {
      return Component.LEFT_ALIGNMENT;
    }

    @Override
    public void dispose() {}
  }
}
