package dev.coldspy.intellij;

import com.redhat.devtools.lsp4ij.ServerStatus;
import com.redhat.devtools.lsp4ij.client.features.LSPClientFeatures;
import dev.coldspy.intellij.core.StatusText;
import org.jetbrains.annotations.NotNull;

/** LSP4IJ's client features, plus the status bar's "starting…" and "stopped" from the server's lifecycle. */
final class ColdSpyClientFeatures extends LSPClientFeatures {

  @Override
  public void handleServerStatusChanged(@NotNull ServerStatus serverStatus) {
    super.handleServerStatusChanged(serverStatus);
    if (serverStatus == ServerStatus.starting) {
      ColdSpyStatus.getInstance(getProject()).show(StatusText.STARTING);
    } else if (serverStatus == ServerStatus.stopped) {
      ColdSpyStatus.getInstance(getProject()).show(StatusText.STOPPED);
    }
  }
}
