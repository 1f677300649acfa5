// Entry point: the output channel, the server, the status bar item and the commands.
import * as vscode from 'vscode';
import { loadProfile, PROFILE_COMMAND, ProfileArguments, profileHandler, runProfile, showReport, VERIFY_COMMAND, verifyFixes } from './commands';
import { ColdSpyServer } from './server';
import { ServerState, statusView } from './status';

let server: ColdSpyServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activatedAt = performance.now();
  const log = vscode.window.createOutputChannel('ColdSpy', { log: true });
  server = new ColdSpyServer(context, log);
  const running = server;

  const status = vscode.window.createStatusBarItem('coldspy.status', vscode.StatusBarAlignment.Left, 50);
  status.name = 'ColdSpy';
  const showStatus = (state: ServerState) => {
    const view = statusView(state);
    status.text = view.text;
    status.tooltip = view.tooltip;
    status.command = view.command;
  };
  showStatus({ kind: 'starting' });
  status.show();

  context.subscriptions.push(
    log,
    running,
    status,
    running.onStatus(showStatus),
    vscode.commands.registerCommand('coldspy.profileHandler', (given?: Partial<ProfileArguments>) => profileHandler(running, given)),
    vscode.commands.registerCommand('coldspy.verifyFixes', () => verifyFixes(running, [])),
    vscode.commands.registerCommand('coldspy.loadProfile', () => loadProfile()),
    vscode.commands.registerCommand('coldspy.showReport', () => showReport(running)),
    vscode.commands.registerCommand('coldspy.restartServer', () => running.restart()),
    vscode.commands.registerCommand('coldspy.showLog', () => log.show(true)),
  );
  // The server's own command (code lens "re-profile") goes through the same trust check and progress UI.
  running.interceptCommand(PROFILE_COMMAND, (args) => runProfile(running, args));
  // The handler's "verified: …" code lens re-runs the verification the same way.
  running.interceptCommand(VERIFY_COMMAND, (args) => verifyFixes(running, args));
  log.appendLine(`[client] ColdSpy ${context.extension.packageJSON.version}; workspace ${vscode.workspace.isTrusted ? 'trusted' : 'NOT trusted: the profiler is disabled'}`);
  await running.start({ at: activatedAt, by: 'activation' });
}

export async function deactivate(): Promise<void> {
  await server?.shutdown();
  server = undefined;
}
