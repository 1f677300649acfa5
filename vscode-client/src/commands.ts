// The ColdSpy commands: Profile Handler…, Load Profile…, Show Report.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { PythonExtension } from '@vscode/python-extension';
import { candidateFromId, discoverHandlers, eventFilesFor, HandlerCandidate, handlerId } from './handlers';
import { profileOutcome, relativeToFolder, verifyOutcome } from './profileRun';
import { languageClientLibrary } from './languageClient';
import { linkTarget, newNonce, reportForWebview } from './reportWebview';
import { ColdSpyServer, serverSettingsFor } from './server';
import { ChosenInterpreter, coldStarts, pythonInterpreter } from './settings';

/** The server's command that profiles a handler (`workspace/executeCommand`). */
export const PROFILE_COMMAND = 'coldspy.profile';
/** The server's command that verifies the fixes against the last commit (same argument object). */
export const VERIFY_COMMAND = 'coldspy.verify';

const EXCLUDED = '**/{node_modules,.venv*,venv,.tox,.git,__pycache__,site-packages,.aws-sam,build,dist}/**';

/** Arguments of `coldspy.profile`. */
export interface ProfileArguments {
  /** `path/handler.py:function`, relative to `workspaceFolder`. */
  handler: string;
  /** Absolute paths of event JSON files, replayed in each cold start. */
  events: string[];
  coldStarts: number;
  workspaceFolder: string;
  /** The folder the handler path is relative to (the server's name for workspaceFolder). */
  root: string;
  /** The interpreter to run the handler with; absent, runProfile chooses it (see chooseInterpreter). */
  python?: string;
}

function relative(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  return path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
}

async function readText(uri: vscode.Uri): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

/** Profiling and verifying run the workspace's code: never in an untrusted workspace. */
export function runningCodeAllowed(action: 'profile' | 'verify' = 'profile'): boolean {
  if (vscode.workspace.isTrusted) {
    return true;
  }
  void vscode.window
    .showWarningMessage(
      `ColdSpy does not ${action} in an untrusted workspace: it would run the handler's code. Profiles already in the workspace are still shown.`,
      'Manage Workspace Trust',
    )
    .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

async function pickHandler(folder: vscode.WorkspaceFolder): Promise<HandlerCandidate | undefined> {
  const pattern = (glob: string) => new vscode.RelativePattern(folder, glob);
  const [pythonUris, deploymentUris] = await Promise.all([
    vscode.workspace.findFiles(pattern('**/*.py'), EXCLUDED, 2000),
    vscode.workspace.findFiles(pattern('**/{template.yaml,template.yml,serverless.yml,serverless.yaml}'), EXCLUDED, 20),
  ]);
  const read = async (uri: vscode.Uri) => ({ file: relative(folder, uri), text: await readText(uri) });
  const candidates = discoverHandlers(await Promise.all(pythonUris.map(read)), await Promise.all(deploymentUris.map(read)));
  if (candidates.length === 0) {
    void vscode.window.showWarningMessage(
      `ColdSpy found no Lambda handler in ${folder.name}: a top-level function taking (event, context).`,
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((c) => ({
      label: `$(symbol-function) ${c.function}`,
      description: `${c.file}:${c.line}`,
      detail: c.declared ? 'named as the handler in a deployment file' : undefined,
      candidate: c,
    })),
    { title: 'ColdSpy: Profile Handler (1/2)', placeHolder: 'Which handler?', matchOnDescription: true },
  );
  return picked?.candidate;
}

async function pickEvents(folder: vscode.WorkspaceFolder, handler: HandlerCandidate): Promise<string[] | undefined> {
  const jsonUris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.json'), EXCLUDED, 5000);
  const events = eventFilesFor(handler.file, jsonUris.map((u) => relative(folder, u)));
  const chooseFiles = '$(folder-opened) Choose event files…';
  const items: (vscode.QuickPickItem & { file?: string })[] = events.map((file, index) => ({
    label: path.posix.basename(file),
    description: path.posix.dirname(file),
    picked: index === 0 || path.posix.dirname(file) === path.posix.dirname(events[0]),
    file,
  }));
  items.push({ label: chooseFiles, alwaysShow: true });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'ColdSpy: Profile Handler (2/2)',
    placeHolder: events.length ? 'Which events are replayed in each cold start?' : 'No events folder found next to the handler',
    canPickMany: true,
  });
  if (!picked) {
    return undefined;
  }
  const files = picked.filter((p) => p.file).map((p) => path.join(folder.uri.fsPath, p.file!));
  if (picked.some((p) => p.label === chooseFiles)) {
    const chosen = await vscode.window.showOpenDialog({
      canSelectMany: true,
      defaultUri: folder.uri,
      filters: { 'Event JSON': ['json'] },
      openLabel: 'Use as events',
    });
    files.push(...(chosen ?? []).map((u) => u.fsPath));
  }
  if (files.length === 0) {
    void vscode.window.showWarningMessage('ColdSpy needs at least one event to invoke the handler with.');
    return undefined;
  }
  return files;
}

/** The Python extension's interpreter for `folder`, when that extension is installed and has one selected. */
async function selectedByPythonExtension(folder: vscode.WorkspaceFolder | undefined, log: vscode.LogOutputChannel): Promise<string | undefined> {
  if (!vscode.extensions.getExtension('ms-python.python')) {
    return undefined;
  }
  try {
    const environments = (await PythonExtension.api()).environments;
    const environment = await environments.resolveEnvironment(environments.getActiveEnvironmentPath(folder?.uri));
    return environment?.executable.uri?.fsPath;
  } catch (error) {
    log.appendLine(`[profile] the Python extension did not name its interpreter: ${(error as Error).message}`);
    return undefined;
  }
}

/** The interpreter a profile run uses: coldspy.python.interpreter, else the Python extension's, else python3. */
async function chooseInterpreter(folder: vscode.WorkspaceFolder | undefined, log: vscode.LogOutputChannel): Promise<ChosenInterpreter> {
  const config = vscode.workspace.getConfiguration('coldspy', folder?.uri);
  return pythonInterpreter((key) => config.get(key), { workspaceFolder: folder?.uri.fsPath }, await selectedByPythonExtension(folder, log));
}

/**
 * Sends a long server command (`coldspy.profile`, `coldspy.verify`) with a `workDoneToken` and shows one
 * cancellable progress notification fed by the server's `$/progress` on it; cancelling sends
 * `window/workDoneProgress/cancel` and `$/cancelRequest`. The server's messages during the request are captured.
 */
async function runWithServerProgress(server: ColdSpyServer, client: NonNullable<ReturnType<ColdSpyServer['runningClient']>>, command: string,
  request: object, title: string, firstMessage: string, folder: vscode.WorkspaceFolder | undefined) {
  const token = `${command}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const { ExecuteCommandRequest, WorkDoneProgress, WorkDoneProgressCancelNotification } = languageClientLibrary();
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancellation) => {
    progress.report({ message: firstMessage });
    let reported = 0;
    const subscription = client.onProgress(WorkDoneProgress.type, token, (value) => {
      if (value.kind === 'end') {
        return;
      }
      const percentage = value.percentage;
      const increment = percentage !== undefined && percentage > reported ? percentage - reported : undefined;
      if (percentage !== undefined) {
        reported = Math.max(reported, percentage);
      }
      progress.report({ message: value.message && relativeToFolder(value.message, folder?.uri.fsPath), increment });
    });
    const cancelListener = cancellation.onCancellationRequested(() => {
      void client.sendNotification(WorkDoneProgressCancelNotification.type, { token });
    });
    try {
      const captured = await server.capturingServerMessages(() =>
        client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [request], workDoneToken: token }, cancellation),
      );
      return { ...captured, cancelled: cancellation.isCancellationRequested };
    } finally {
      subscription.dispose();
      cancelListener.dispose();
    }
  });
}

/**
 * Runs `coldspy.profile` on the server with one cancellable progress notification fed by the server's
 * `$/progress` on the request's token (e.g. "cold start 3 of 10"). The outcome is told once: a failure as one
 * error whose "Show Log" opens the output channel, where the profiler's output (the handler's traceback) ends
 * the log; a success quietly in the status bar (the findings appear on the lines).
 */
export async function runProfile(server: ColdSpyServer, args: unknown[]): Promise<unknown> {
  if (!runningCodeAllowed()) {
    return undefined;
  }
  const client = server.runningClient();
  if (!client) {
    return undefined;
  }
  const given = (args[0] ?? {}) as Partial<ProfileArguments>;
  const folderPath = given.workspaceFolder ?? given.root;
  const folder = folderPath ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folderPath)) : vscode.workspace.workspaceFolders?.[0];
  const interpreter = given.python ? { python: given.python, source: 'the command' } : await chooseInterpreter(folder, server.log);
  const request = { ...given, python: interpreter.python };
  const handler = relativeToFolder(given.handler ?? 'the handler', folder?.uri.fsPath);
  const runs = given.coldStarts ? `${given.coldStarts} cold starts` : 'cold starts';
  server.log.appendLine(`[profile] ${handler}: ${runs} with ${interpreter.python} (from ${interpreter.source})`);
  const { answer, errors, output, cancelled } = await runWithServerProgress(server, client, PROFILE_COMMAND, request, `ColdSpy: profiling ${handler}`,
    `${runs} with ${path.basename(interpreter.python)}`, folder);
  const outcome = profileOutcome(answer, errors, cancelled);
  if (outcome.kind === 'profiled') {
    server.log.appendLine(`[profile] ${handler}: wrote ${outcome.profile}`);
    vscode.window.setStatusBarMessage(`$(check) ColdSpy: profiled ${handler}`, 10000);
    return { profile: outcome.profile };
  }
  if (outcome.kind === 'cancelled') {
    server.log.appendLine(`[profile] ${handler}: cancelled`);
    return undefined;
  }
  const reason = relativeToFolder(outcome.reason, folder?.uri.fsPath);
  // The profiler's output (the handler's traceback, when it raised) as one block at the end of the log.
  server.log.appendLine(`[profile] ${handler} failed: ${reason}${output.length ? '\n[profile] the profiler printed:\n' + output.join('\n') : ''}`);
  const choice = await vscode.window.showErrorMessage(`ColdSpy could not profile ${handler}: ${reason}`, 'Show Log');
  if (choice) {
    server.log.show(true);
  }
  return undefined;
}

/**
 * "ColdSpy: Verify Fixes" (and the handler's "verified: …" code lens): runs `coldspy.verify` on the server —
 * the handler's events in fresh interpreters, the last commit (or the copy before the first fix) against the
 * current code — with progress and cancel, and tells the result once: information when faster with identical
 * outputs, a warning when an output differs or no gain shows beyond the noise.
 */
export async function verifyFixes(server: ColdSpyServer, args: unknown[]): Promise<unknown> {
  if (!runningCodeAllowed('verify')) {
    return undefined;
  }
  const client = server.runningClient();
  if (!client) {
    return undefined;
  }
  const given = (args[0] ?? {}) as Partial<ProfileArguments>;
  const folder = given.root ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(given.root)) : vscode.workspace.workspaceFolders?.[0];
  const interpreter = given.python ? { python: given.python, source: 'the command' } : await chooseInterpreter(folder, server.log);
  const handler = given.handler ? relativeToFolder(given.handler, folder?.uri.fsPath) : 'the profiled handler';
  server.log.appendLine(`[verify] ${handler} with ${interpreter.python} (from ${interpreter.source})`);
  const { answer, errors, cancelled } = await runWithServerProgress(server, client, VERIFY_COMMAND, { ...given, python: interpreter.python },
    `ColdSpy: verifying ${handler}`, 'the last commit against the current code', folder);
  const outcome = verifyOutcome(answer, errors, cancelled);
  server.log.appendLine(`[verify] ${handler}: ${outcome.kind === 'cancelled' ? 'cancelled' : outcome.message}`);
  if (outcome.kind === 'verified') {
    void vscode.window.showInformationMessage(`ColdSpy: ${outcome.message}`);
  } else if (outcome.kind === 'attention') {
    void vscode.window.showWarningMessage(`ColdSpy: ${outcome.message}`, 'Show Log').then((c) => c && server.log.show(true));
  } else if (outcome.kind === 'failed') {
    void vscode.window.showErrorMessage(`ColdSpy could not verify: ${relativeToFolder(outcome.message, folder?.uri.fsPath)}`, 'Show Log')
      .then((c) => c && server.log.show(true));
  }
  return undefined;
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showWarningMessage('ColdSpy works on a folder: open the folder of your Lambda project first.');
    return undefined;
  }
  return folders.length === 1 ? folders[0] : vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which project?' });
}

/**
 * "Profile Handler…": folder, handler, events, then the run. The server's "Profile cold starts…" code lens
 * passes `{ handler, root }`: then the dialog starts at the events.
 */
export async function profileHandler(server: ColdSpyServer, given?: Partial<ProfileArguments>): Promise<void> {
  if (!runningCodeAllowed()) {
    return;
  }
  const folder = given?.root ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(given.root)) : await pickFolder();
  const handler = folder && (candidateFromId(given?.handler) ?? (await pickHandler(folder)));
  const events = folder && handler && (await pickEvents(folder, handler));
  if (!folder || !handler || !events) {
    return;
  }
  const config = vscode.workspace.getConfiguration('coldspy', folder.uri);
  const args: ProfileArguments = {
    handler: handlerId(handler),
    events,
    coldStarts: coldStarts((key) => config.get(key)),
    workspaceFolder: folder.uri.fsPath,
    root: folder.uri.fsPath,
  };
  await runProfile(server, [args]);
}

/**
 * Copies a profile into the folder's profile directory (the first directory of `coldspy.profiles`, else
 * `.coldspy/profiles/`), where the server's file watcher picks it up at once.
 */
export async function loadProfile(): Promise<void> {
  const folder = await pickFolder();
  if (!folder) {
    return;
  }
  const chosen = await vscode.window.showOpenDialog({
    canSelectMany: false,
    defaultUri: folder.uri,
    filters: { 'ColdSpy profiles': ['json', 'pkl'], '-X importtime logs': ['log', 'txt'], 'All files': ['*'] },
    openLabel: 'Load Profile',
  });
  if (!chosen || chosen.length === 0) {
    return;
  }
  const source = chosen[0].fsPath;
  const directories = (serverSettingsFor(folder).profiles ?? []).filter((p) => fs.existsSync(p) && fs.statSync(p).isDirectory());
  const targetDir = directories[0] ?? path.join(folder.uri.fsPath, '.coldspy', 'profiles');
  if (path.dirname(source) === targetDir) {
    void vscode.window.showInformationMessage(`ColdSpy already reads ${path.basename(source)} from ${targetDir}.`);
    return;
  }
  fs.mkdirSync(targetDir, { recursive: true });
  const { name, ext } = path.parse(source);
  let target = path.join(targetDir, name + ext);
  for (let n = 2; fs.existsSync(target); n++) {
    target = path.join(targetDir, `${name}-${n}${ext}`);
  }
  fs.copyFileSync(source, target);
  void vscode.window.showInformationMessage(`ColdSpy: loaded ${path.basename(source)} into ${path.relative(folder.uri.fsPath, target) || target}.`);
}

/** The command line that makes the CLI write the HTML report of a project folder and its profiles. */
export function reportArguments(jar: string, outputFile: string, folder: string, profilePaths: string[]): string[] {
  return ['-jar', jar, 'report', ...profilePaths.flatMap((p) => ['--profile', p]), '-o', outputFile, folder];
}

let reportPanel: vscode.WebviewPanel | undefined;
/** The folder the report in reportPanel was built for (its links' relative paths are under it). */
let reportFolder: string | undefined;

/** A `file:line` link clicked in the report: the file opens in the first editor group, at that line. */
async function openReportLink(message: unknown, log: vscode.LogOutputChannel): Promise<void> {
  const target = reportFolder === undefined ? undefined : linkTarget(message, reportFolder);
  if (!target) {
    log.appendLine(`[report] ignored a message from the report: ${JSON.stringify(message)}`);
    return;
  }
  if (!fs.existsSync(target.file)) {
    void vscode.window.showWarningMessage(`ColdSpy: ${target.file} does not exist (any more).`);
    return;
  }
  const position = new vscode.Position(target.line - 1, 0);
  await vscode.window.showTextDocument(vscode.Uri.file(target.file), {
    viewColumn: vscode.ViewColumn.One,
    selection: new vscode.Range(position, position),
  });
}

export async function showReport(server: ColdSpyServer): Promise<void> {
  const folder = await pickFolder();
  const java = folder && (await server.javaExecutable());
  if (!folder) {
    return;
  }
  if (!java) {
    void vscode.window.showErrorMessage('ColdSpy needs Java 17 or newer to build the report; see the "ColdSpy" output channel.');
    return;
  }
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coldspy-report-'));
  const outputFile = path.join(outputDir, 'report.html');
  const existingPaths = (serverSettingsFor(folder).profiles ?? []).filter((p) => fs.existsSync(p));
  const args = reportArguments(server.serverJar, outputFile, folder.uri.fsPath, existingPaths);
  server.log.appendLine(`[report] ${java} ${args.join(' ')}`);
  const failure = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'ColdSpy: building the report' },
    () =>
      new Promise<string | undefined>((resolve) => {
        execFile(java, args, { cwd: folder.uri.fsPath, timeout: 120000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
          if (stdout.trim()) {
            server.log.appendLine(`[report] ${stdout.trim()}`);
          }
          if (stderr.trim()) {
            server.log.appendLine(`[report] ${stderr.trim()}`);
          }
          resolve(error ? stderr.trim().split('\n').pop() || error.message : undefined);
        });
      }),
  );
  if (failure || !fs.existsSync(outputFile)) {
    void vscode.window.showErrorMessage(`ColdSpy could not build the report: ${failure ?? 'no report was written'}`, 'Show Log').then((c) => c && server.log.show(true));
    return;
  }
  if (!reportPanel) {
    reportPanel = vscode.window.createWebviewPanel('coldspy.report', 'ColdSpy Report', vscode.ViewColumn.Beside, {
      enableScripts: true,
      enableFindWidget: true,
      retainContextWhenHidden: true,
      localResourceRoots: [],
    });
    reportPanel.onDidDispose(() => (reportPanel = undefined));
    reportPanel.webview.onDidReceiveMessage((message) => openReportLink(message, server.log));
  }
  reportPanel.title = `ColdSpy Report: ${folder.name}`;
  reportFolder = folder.uri.fsPath;
  reportPanel.webview.html = reportForWebview(fs.readFileSync(outputFile, 'utf8'), newNonce());
  reportPanel.reveal();
  fs.rmSync(outputDir, { recursive: true, force: true });
}
