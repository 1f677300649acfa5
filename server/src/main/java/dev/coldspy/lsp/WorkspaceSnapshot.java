package dev.coldspy.lsp;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a request needs, frozen: the open documents (by URI, each at one version) and the analysis
 * setup (settings and profiled projects). Changes make a new snapshot; nobody mutates one.
 */
record WorkspaceSnapshot(Map<String, TextDocument> documents, WorkspaceSetup setup) {
  static final WorkspaceSnapshot EMPTY = new WorkspaceSnapshot(Map.of(), WorkspaceSetup.NONE);

  WorkspaceSnapshot {
    documents = Map.copyOf(documents);
  }

  Optional<TextDocument> document(String uri) {
    return Optional.ofNullable(documents.get(uri));
  }

  WorkspaceSnapshot withDocument(TextDocument document) {
    Map<String, TextDocument> updated = new HashMap<>(documents);
    updated.put(document.uri(), document);
    return new WorkspaceSnapshot(updated, setup);
  }

  WorkspaceSnapshot withoutDocument(String uri) {
    if (!documents.containsKey(uri)) {
      return this;
    }
    Map<String, TextDocument> updated = new HashMap<>(documents);
    updated.remove(uri);
    return new WorkspaceSnapshot(updated, setup);
  }

  WorkspaceSnapshot withSetup(WorkspaceSetup newSetup) {
    return new WorkspaceSnapshot(documents, newSetup);
  }
}
