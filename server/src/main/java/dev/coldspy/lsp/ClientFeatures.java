package dev.coldspy.lsp;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.InitializeParams;

/**
 * What the client told the server in {@code initialize} that changes what the server does: its capabilities,
 * and the {@code initializationOptions} ColdSpy understands.
 *
 * <p>{@code initializationOptions.workspaceTrusted} (boolean): whether the user trusts the workspace's code.
 * When {@code false}, the server never runs that code ({@code coldspy.profile} is refused); it still shows what
 * existing profiles say. A client that does not send the option (LSP4IJ, other generic clients, which have no
 * notion of workspace trust) is trusted: the user chose to run the server on the project. The VS Code extension
 * sends VS Code's trust state and restarts the server when the user grants trust.
 *
 * @param workspaceTrusted false only when the client said {@code "workspaceTrusted": false}
 */
record ClientFeatures(
    boolean configuration,
    boolean watchedFilesDynamicRegistration,
    boolean inlayHintRefresh,
    boolean codeLensRefresh,
    boolean workDoneProgress,
    boolean workspaceTrusted) {
  static final String WORKSPACE_TRUSTED_OPTION = "workspaceTrusted";
  /** Before {@code initialize}: nothing announced, trusted (a request before initialize is refused anyway). */
  static final ClientFeatures NONE = new ClientFeatures(false, false, false, false, false, true);
  private static final Gson GSON = new Gson();

  static ClientFeatures of(InitializeParams params) {
    return of(params.getCapabilities(), params.getInitializationOptions());
  }

  static ClientFeatures of(ClientCapabilities capabilities, Object initializationOptions) {
    boolean trusted = workspaceTrusted(initializationOptions);
    if (capabilities == null) {
      return new ClientFeatures(false, false, false, false, false, trusted);
    }
    var workspace = capabilities.getWorkspace();
    var window = capabilities.getWindow();
    return new ClientFeatures(
        workspace != null && Boolean.TRUE.equals(workspace.getConfiguration()),
        workspace != null
            && workspace.getDidChangeWatchedFiles() != null
            && Boolean.TRUE.equals(workspace.getDidChangeWatchedFiles().getDynamicRegistration()),
        workspace != null
            && workspace.getInlayHint() != null
            && Boolean.TRUE.equals(workspace.getInlayHint().getRefreshSupport()),
        workspace != null
            && workspace.getCodeLens() != null
            && Boolean.TRUE.equals(workspace.getCodeLens().getRefreshSupport()),
        window != null && Boolean.TRUE.equals(window.getWorkDoneProgress()),
        trusted);
  }

  /** Only an explicit {@code false} distrusts: absent, null or another type keeps the default (trusted). */
  private static boolean workspaceTrusted(Object initializationOptions) {
    if (initializationOptions == null) {
      return true;
    }
    JsonElement options = initializationOptions instanceof JsonElement element
        ? element : GSON.toJsonTree(initializationOptions);
    if (!options.isJsonObject()) {
      return true;
    }
    JsonElement trusted = options.getAsJsonObject().get(WORKSPACE_TRUSTED_OPTION);
    return !(trusted != null && trusted.isJsonPrimitive() && trusted.getAsJsonPrimitive().isBoolean()
        && !trusted.getAsBoolean());
  }
}
