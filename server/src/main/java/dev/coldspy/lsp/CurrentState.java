package dev.coldspy.lsp;

import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The server's current {@link WorkspaceSnapshot}, and the order of what is published against it. An analysis
 * runs on the snapshot it started with and may only send its result while that is still current; the check
 * and the send happen under the lock that every change of the snapshot takes too. Without it, an analysis of a
 * file as it is on disk could pass its check, lose the processor while the user opened the file and the open
 * text's diagnostics went out, then send its older diagnostics last, where they stayed on the client (seen
 * once in about 40 sessions on a loaded machine).
 */
final class CurrentState {
  private volatile WorkspaceSnapshot snapshot = WorkspaceSnapshot.EMPTY;

  /** The snapshot now; reading never waits. */
  WorkspaceSnapshot get() {
    return snapshot;
  }

  /** Replaces the snapshot with {@code change} of it, after any send that already passed its check. */
  synchronized WorkspaceSnapshot update(UnaryOperator<WorkspaceSnapshot> change) {
    snapshot = change.apply(snapshot);
    return snapshot;
  }

  /**
   * Runs {@code send} if {@code isCurrent} holds for the snapshot now, with no change in between; false (and
   * nothing sent) when it does not. {@code send} only hands a message to the client, it must not wait on
   * other work. The message is written under the lock: while a client does not read its input, a change waits
   * for that write (the editors' clients read on a thread of their own, so the write ends).
   */
  synchronized boolean sendIfCurrent(Predicate<WorkspaceSnapshot> isCurrent, Runnable send) {
    if (!isCurrent.test(snapshot)) {
      return false;
    }
    send.run();
    return true;
  }
}
