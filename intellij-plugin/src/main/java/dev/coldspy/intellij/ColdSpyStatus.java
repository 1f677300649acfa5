package dev.coldspy.intellij;

import com.intellij.openapi.application.ApplicationManager;
import com.intellij.openapi.components.Service;
import com.intellij.openapi.project.Project;
import com.intellij.openapi.wm.StatusBar;
import com.intellij.openapi.wm.WindowManager;
import dev.coldspy.intellij.core.StatusText;
import org.jetbrains.annotations.NotNull;

/** The project's ColdSpy status (what the widget shows), set from the server's notifications on any thread. */
@Service(Service.Level.PROJECT)
public final class ColdSpyStatus {
  private final Project project;
  private volatile StatusText current = StatusText.STARTING;

  public ColdSpyStatus(@NotNull Project project) {
    this.project = project;
  }

  static ColdSpyStatus getInstance(@NotNull Project project) {
    return project.getService(ColdSpyStatus.class);
  }

  StatusText current() {
    return current;
  }

  /** Shows {@code text} in the project's status bar (repainted on the UI thread). */
  void show(StatusText text) {
    current = text;
    ApplicationManager.getApplication().invokeLater(() -> {
      StatusBar statusBar = WindowManager.getInstance().getStatusBar(project);
      if (statusBar != null) {
        statusBar.updateWidget(ColdSpyStatusWidgetFactory.ID);
      }
    }, project.getDisposed());
  }
}
