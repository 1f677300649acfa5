// The ColdSpy language server process: finds Java, starts `java … -jar server/coldspy.jar serve` over stdio
// with the start flags and class-data archive of serverJvm.ts, answers `workspace/configuration`, forwards
// setting changes, and restarts a crashed server a few times.
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, MessageType, ServerOptions, StreamInfo } from 'vscode-languageclient/node';
import { languageClientLibrary } from './languageClient';
import { JavaProbe, JavaResolution, RememberedJava, resolveJava, resolveJavaRemembered } from './java';
import { RestartPolicy } from './restartPolicy';
import { archiveRejected, ArchivePlan, isServerLogLine, keepCreatedArchive, planArchive, serverArguments, staleArchiveFiles } from './serverJvm';
import { RESTART_SETTINGS, sectionOf, ServerSettings, toServerSettings } from './settings';
import { ArchiveUse, startupLine, StartupMoments } from './startupTimeline';
import { parseStatus, ServerState } from './status';

export const STATUS_NOTIFICATION = 'coldspy/status';
/** globalState key of the last Java resolution (see resolveJavaRemembered). */
const REMEMBERED_JAVA = 'coldspy.java.resolution';
/** How long a server that writes its class-data archive on the way out may take to exit. */
const ARCHIVE_EXIT_MS = 20000;
/** How long any other server may take to exit after `exit` before it is killed. */
const EXIT_MS = 3000;

/** Size and modification time of a file, or "missing" (what tells a Java updated in place). */
function fingerprint(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.size}:${Math.trunc(stat.mtimeMs)}`;
  } catch {
    return 'missing';
  }
}

const nodeJavaProbe: JavaProbe = {
  platform: process.platform,
  env: process.env,
  isFile: (file) => {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  },
  releaseFile: (java) => {
    try {
      return fs.readFileSync(path.join(path.dirname(path.dirname(fs.realpathSync(java))), 'release'), 'utf8');
    } catch {
      return undefined;
    }
  },
  versionOutput: (java) =>
    new Promise((resolve, reject) => {
      execFile(java, ['-version'], { timeout: 15000 }, (error, stdout, stderr) => {
        if (error) {
          reject(error);
        } else {
          resolve(`${stderr}${stdout}`);
        }
      });
    }),
};

/** The settings the server sees for a workspace folder (or the window when there is none). */
export function serverSettingsFor(folder: vscode.WorkspaceFolder | undefined, log?: vscode.LogOutputChannel): ServerSettings {
  const config = vscode.workspace.getConfiguration('coldspy', folder?.uri);
  const { settings, problems } = toServerSettings((key) => config.get(key), { workspaceFolder: folder?.uri.fsPath });
  for (const problem of problems) {
    log?.appendLine(`[settings] ${problem}`);
  }
  return settings;
}

/** What the server said while a request ran (see capturingServerMessages). */
interface MessageCapture {
  /** Errors it logged, in order. */
  errors: string[];
  /** The profiler's output lines it relayed ("profiler: …" log lines, without that prefix). */
  output: string[];
}

/** A started server JVM: how it uses the class-data archive, and whether it answered `initialize`. */
interface ServerProcess {
  child: ChildProcess;
  plan: ArchivePlan | undefined;
  exited: Promise<void>;
  answered: boolean;
  /** performance.now() at the spawn, for the start-up times in the log. */
  startedAt: number;
  diagnosed: boolean;
  /** The moments of this start so far (see startupTimeline.ts); absent for a restart after a crash. */
  moments?: Partial<StartupMoments>;
}

/** What began a start: the extension's activation or a restart, at performance.now() `at`. */
export interface StartCause {
  at: number;
  by: StartupMoments['begunBy'];
}

export class ColdSpyServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private java: JavaResolution | undefined;
  private readonly restartPolicy = new RestartPolicy();
  private readonly statusEmitter = new vscode.EventEmitter<ServerState>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly commandInterceptors = new Map<string, (args: unknown[]) => Promise<unknown>>();
  /** Why the server is not running, when it is not (shown by commands that need it). */
  private stoppedBecause: string | undefined;

  /** The server process of the running client, and how it uses the class-data archive. */
  private process: ServerProcess | undefined;
  /** The requests in flight whose server messages are collected rather than shown. */
  private readonly captures = new Set<MessageCapture>();
  /** Set when a start with an archive flag failed: the rest of the session starts without one. */
  private archivesDisabled = false;
  /** The moments of start() up to the Java's choice, for the next spawn's timeline. */
  private startingMoments: Partial<StartupMoments> | undefined;

  /** Fires with "starting", each `coldspy/status` notification, and "stopped". */
  readonly onStatus = this.statusEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.statusEmitter,
      vscode.workspace.onDidChangeConfiguration((event) => this.onConfigurationChanged(event)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.onTrustGranted()),
    );
  }

  get serverJar(): string {
    return this.context.asAbsolutePath(path.join('server', 'coldspy.jar'));
  }

  /** Runs `handle` instead of sending the server's own command `command` straight to the server. */
  interceptCommand(command: string, handle: (args: unknown[]) => Promise<unknown>): void {
    this.commandInterceptors.set(command, handle);
  }

  /** The running client, or undefined with the reason shown to the user. */
  runningClient(): LanguageClient | undefined {
    if (this.client && this.client.state === languageClientLibrary().State.Running) {
      return this.client;
    }
    void vscode.window.showErrorMessage(this.stoppedBecause ?? 'The ColdSpy server is not running yet.', 'Show Log').then((choice) => {
      if (choice) {
        this.log.show(true);
      }
    });
    return undefined;
  }

  /**
   * Runs `work` (a request to the server) and collects what the server logs meanwhile: its errors become the
   * outcome the caller tells the user once, instead of separate notifications (the server's error messages
   * during the request are written to the log only).
   */
  async capturingServerMessages<T>(work: () => Promise<T>): Promise<{ answer: { result?: T; error?: unknown } } & MessageCapture> {
    const capture: MessageCapture = { errors: [], output: [] };
    this.captures.add(capture);
    try {
      return { answer: { result: await work() }, ...capture };
    } catch (error) {
      return { answer: { error }, ...capture };
    } finally {
      this.captures.delete(capture);
    }
  }

  /** `window/logMessage`: into the output channel at its level, and into the captures of requests in flight. */
  private onLogMessage(type: MessageType, message: string): void {
    const { MessageType } = languageClientLibrary();
    for (const capture of this.captures) {
      if (type === MessageType.Error) {
        capture.errors.push(message);
      } else if (message.startsWith('profiler: ')) {
        capture.output.push(message.slice('profiler: '.length));
      }
    }
    switch (type) {
      case MessageType.Error:
        this.log.error(message);
        break;
      case MessageType.Warning:
        this.log.warn(message);
        break;
      case MessageType.Info:
        this.log.info(message);
        break;
      default:
        this.log.debug(message);
    }
  }

  /** `window/showMessage`: shown, errors with "Show Log"; while a request's messages are captured, errors are its outcome. */
  private onShowMessage(type: MessageType, message: string): void {
    const { MessageType } = languageClientLibrary();
    if (type === MessageType.Error) {
      if (this.captures.size > 0) {
        return; // the same text arrived as a logged error, which the capture holds
      }
      void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => choice && this.log.show(true));
    } else if (type === MessageType.Warning) {
      void vscode.window.showWarningMessage(message);
    } else {
      void vscode.window.showInformationMessage(message);
    }
  }

  /** The Java the server runs with (resolving it when the server has not been started). */
  async javaExecutable(): Promise<string | undefined> {
    if (!this.java?.ok) {
      this.java = await resolveJava(vscode.workspace.getConfiguration('coldspy').get<string>('java.home'), nodeJavaProbe);
    }
    return this.java.ok ? this.java.executable : undefined;
  }

  async start(cause: StartCause = { at: performance.now(), by: 'restart' }): Promise<void> {
    this.stoppedBecause = undefined;
    this.statusEmitter.fire({ kind: 'starting' });
    const configuredHome = vscode.workspace.getConfiguration('coldspy').get<string>('java.home');
    // A remembered resolution saves a `java -version` (a JVM start) before the server's own JVM start.
    const { resolution, remember, fromMemory } = await resolveJavaRemembered(
      configuredHome,
      nodeJavaProbe,
      fingerprint,
      this.context.globalState.get<RememberedJava>(REMEMBERED_JAVA),
    );
    this.java = resolution;
    this.startingMoments = { timeOrigin: performance.timeOrigin, begun: cause.at, begunBy: cause.by, javaChosen: performance.now(), javaChoice: fromMemory ? 'remembered' : 'probed' };
    if (remember) {
      void this.context.globalState.update(REMEMBERED_JAVA, remember);
    }
    for (const candidate of this.java.checked) {
      this.log.appendLine(`[java] ${candidate.source} ${candidate.location}: ${candidate.problem ?? 'used'}${fromMemory ? ' (as at the last start: unchanged since)' : ''}`);
    }
    if (!this.java.ok) {
      this.stop(this.java.message);
      const choice = await vscode.window.showErrorMessage(this.java.message, 'Open Settings', 'Show Log');
      if (choice === 'Open Settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'coldspy.java.home');
      } else if (choice === 'Show Log') {
        this.log.show(true);
      }
      return;
    }
    if (configuredHome && this.java.source !== 'coldspy.java.home') {
      void vscode.window.showWarningMessage(
        `ColdSpy: the Java in "coldspy.java.home" (${configuredHome}) cannot be used (${this.java.checked[0].problem}); using ${this.java.executable} (Java ${this.java.version}) instead.`,
      );
    }
    if (!fs.existsSync(this.serverJar)) {
      this.stop(`The ColdSpy server is missing from this installation (${this.serverJar}). Reinstall the extension from a complete .vsix.`);
      void vscode.window.showErrorMessage(this.stoppedBecause!);
      return;
    }
    // The JVM starts first; the language client library loads and the client is made during the JVM's start.
    const spawned = this.spawnServer(this.java);
    const loadBegun = performance.now();
    this.client = this.createClient(this.java, spawned);
    this.log.appendLine(`[client] the language client loaded and made in ${Math.round(performance.now() - loadBegun)} ms while the server's JVM starts`);
    try {
      // No settings push here: the server pulls them (workspace/configuration) once initialized.
      await this.client.start();
    } catch (error) {
      this.stop(`The ColdSpy server did not start: ${(error as Error).message}`);
      spawned.writer.end(); // the JVM, taken or not by the client, reads its stdin to the end and exits
    }
  }

  /** How this start uses the class-data archive of the jar and Java, or undefined when it cannot use one. */
  private archivePlan(java: Extract<JavaResolution, { ok: true }>): ArchivePlan | undefined {
    if (this.archivesDisabled) {
      return undefined;
    }
    try {
      const folder = path.join(this.context.globalStorageUri.fsPath, 'class-data');
      fs.mkdirSync(folder, { recursive: true });
      const jar = fs.statSync(this.serverJar);
      const identity = {
        jar: { path: this.serverJar, size: jar.size, mtimeMs: jar.mtimeMs },
        java: { executable: fs.realpathSync(java.executable), version: java.version },
      };
      return planArchive(folder, identity, (file) => fs.existsSync(file), `${process.pid}-${Date.now()}`);
    } catch (error) {
      this.log.appendLine(`[java] no class-data archive (${(error as Error).message}): the server starts without one`);
      return undefined;
    }
  }

  /**
   * Starts the server's JVM (the language client calls this on every start and restart). The client gets its
   * streams only, marked detached, so that it does not kill the process 2 s after `exit` (a JVM that writes its
   * archive needs longer: stopServer() waits for it) and does not copy all of stderr into the log.
   */
  private spawnServer(java: Extract<JavaResolution, { ok: true }>): StreamInfo {
    const plan = this.archivePlan(java);
    const args = serverArguments(this.serverJar, plan);
    this.log.appendLine(`[java] starting the server: ${java.executable} ${args.join(' ')} (Java ${java.version}, from ${java.source})`);
    const child = spawn(java.executable, args, { stdio: 'pipe' });
    let rejected: string | undefined;
    const startedAt = performance.now();
    const archive: ArchiveUse = plan === undefined ? 'none' : plan.mode === 'use' ? 'used' : 'recording';
    const moments = this.startingMoments && { ...this.startingMoments, spawned: startedAt, archive };
    this.startingMoments = undefined;
    const started: ServerProcess = { child, plan, exited: Promise.resolve(), answered: false, startedAt, diagnosed: false, moments };
    readline.createInterface({ input: child.stderr!, crlfDelay: Infinity }).on('line', (line) => {
      if (plan?.mode === 'use' && rejected === undefined && archiveRejected(line)) {
        rejected = line;
      }
      // The server writes each of its log messages to stderr too, and sends it as window/logMessage from its
      // first moment (it connects its log before it reads anything): only the rest (the JVM's own warnings, a
      // crash) is shown from here.
      if (!isServerLogLine(line)) {
        this.log.warn(line);
      }
    });
    started.exited = new Promise<void>((resolve) => {
      child.on('error', () => resolve());
      child.on('exit', (code, signal) => {
        this.afterExit(plan, rejected, code, signal, started.answered);
        resolve();
      });
    });
    this.process = started;
    return { reader: child.stdout!, writer: child.stdin!, detached: true };
  }

  /** Keeps, renames or deletes the archive a server used or wrote, once its JVM is gone. */
  private afterExit(plan: ArchivePlan | undefined, rejected: string | undefined, code: number | null, signal: NodeJS.Signals | null, answered: boolean): void {
    if (!plan) {
      return;
    }
    const remove = (file: string) => fs.rmSync(file, { force: true });
    try {
      if (plan.mode === 'use') {
        if (rejected !== undefined) {
          remove(plan.archive);
          this.log.appendLine(`[java] the JVM did not use the class-data archive ("${rejected.trim()}"); the next start makes a new one`);
        }
        return;
      }
      const size = fs.existsSync(plan.partial) ? fs.statSync(plan.partial).size : undefined;
      if (keepCreatedArchive(code, signal, size)) {
        fs.renameSync(plan.partial, plan.archive);
        this.log.appendLine(`[java] wrote the class-data archive ${plan.archive} (${Math.round(size! / 1024)} KiB): later starts load the server's classes from it`);
        const folder = path.dirname(plan.archive);
        const hourAgo = Date.now() - 3600_000;
        const olderThanAnHour = (file: string) => fs.statSync(path.join(folder, file)).mtimeMs < hourAgo;
        staleArchiveFiles(fs.readdirSync(folder), plan.archive, olderThanAnHour).forEach((file) => remove(path.join(folder, file)));
      } else {
        remove(plan.partial);
        if (!answered && code !== 0) {
          // A JVM that refuses the archive flag would fail every start: the session goes on without archives.
          this.archivesDisabled = true;
          this.log.appendLine(`[java] the server ended (status ${code}, signal ${signal}) before it answered; later starts of this session use no class-data archive`);
        }
      }
    } catch (error) {
      this.log.appendLine(`[java] class-data archive ${plan.archive}: ${(error as Error).message}`);
    }
  }

  /** A restart asked for by the user: a new process with fresh chances after crashes. */
  async restart(): Promise<void> {
    this.restartPolicy.reset();
    await this.stopServer();
    await this.start();
  }

  private stop(reason: string): void {
    this.stoppedBecause = reason;
    this.log.appendLine(`[client] ${reason}`);
    this.statusEmitter.fire({ kind: 'stopped', reason });
  }

  /**
   * The language client of a server whose first JVM is `firstProcess` (already started); a restart after a
   * crash starts a new one.
   */
  private createClient(java: Extract<JavaResolution, { ok: true }>, firstProcess: StreamInfo): LanguageClient {
    const { CloseAction, ErrorAction, LanguageClient, LogMessageNotification, ShowMessageNotification, State } = languageClientLibrary();
    let unused: StreamInfo | undefined = firstProcess;
    const serverOptions: ServerOptions = async () => {
      const streams = unused ?? this.spawnServer(java);
      unused = undefined;
      return streams;
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        { scheme: 'untitled', language: 'python' },
      ],
      outputChannel: this.log,
      // The server refuses to profile (run the workspace's code) when told the workspace is not trusted.
      initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted },
      // A failed `initialize` is not retried in place: the connection closes and the restart policy decides.
      initializationFailedHandler: (error) => {
        this.log.error(`[client] the server failed to initialize: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      },
      errorHandler: {
        // Transport errors alone do not kill the server; the close handler decides when the process is gone.
        error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
        closed: () => {
          const decision = this.restartPolicy.onCrash();
          if (decision.restart) {
            this.log.appendLine(`[client] the server stopped unexpectedly; restarting it (${this.restartPolicy.recentCrashes} in a row)`);
            return { action: CloseAction.Restart, handled: true };
          }
          this.stop(decision.reason!);
          void vscode.window.showErrorMessage(decision.reason!, 'Show Log', 'Restart Server').then((choice) => {
            if (choice === 'Show Log') {
              this.log.show(true);
            } else if (choice === 'Restart Server') {
              void this.restart();
            }
          });
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
      middleware: {
        // Where the seconds to the first squiggle go: the log says when the first findings arrived.
        handleDiagnostics: (uri, diagnostics, next) => {
          const running = this.process;
          if (running && !running.diagnosed && diagnostics.length > 0) {
            running.diagnosed = true;
            const file = vscode.workspace.asRelativePath(uri);
            this.log.appendLine(`[java] the first findings (${file}) came ${Math.round(performance.now() - running.startedAt)} ms after the server's start`);
            const moments = running.moments;
            if (moments?.initialized !== undefined && moments.documentOpened !== undefined && moments.settingsAsked !== undefined) {
              this.log.appendLine(startupLine(file, { ...moments, findings: performance.now() } as StartupMoments));
            }
          }
          next(uri, diagnostics);
        },
        didOpen: (document, next) => {
          const moments = this.process?.moments;
          if (moments && moments.documentOpened === undefined) {
            moments.documentOpened = performance.now();
          }
          return next(document);
        },
        // The inlay hints switch is the extension's: hints are dropped here, so a change applies at once.
        provideInlayHints: (document, range, token, next) =>
          vscode.workspace.getConfiguration('coldspy', document).get<boolean>('inlayHints.enabled', true) ? next(document, range, token) : [],
        executeCommand: (command, args, next) => {
          const intercept = this.commandInterceptors.get(command);
          return intercept ? intercept(args) : next(command, args);
        },
        workspace: {
          configuration: async (params, token, next) => {
            const moments = this.process?.moments;
            if (moments && moments.settingsAsked === undefined) {
              moments.settingsAsked = performance.now();
            }
            const answers: unknown[] = [];
            const unhandled: number[] = [];
            params.items.forEach((item, index) => {
              const folder = item.scopeUri
                ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(item.scopeUri))
                : vscode.workspace.workspaceFolders?.[0];
              const answer = sectionOf(serverSettingsFor(folder, this.log), item.section ?? 'coldspy');
              if (answer.handled) {
                answers[index] = answer.value;
              } else {
                unhandled.push(index);
              }
            });
            if (unhandled.length > 0) {
              const rest = await next({ items: unhandled.map((i) => params.items[i]) }, token);
              if (Array.isArray(rest)) {
                unhandled.forEach((i, k) => (answers[i] = rest[k]));
              }
            }
            return answers;
          },
        },
      },
    };
    const client = new LanguageClient('coldspy', 'ColdSpy', serverOptions, clientOptions);
    // Replace the client's own handlers of these two (registered before start, they take their place).
    client.onNotification(LogMessageNotification.type, (params) => this.onLogMessage(params.type, params.message));
    client.onNotification(ShowMessageNotification.type, (params) => this.onShowMessage(params.type, params.message));
    client.onNotification(STATUS_NOTIFICATION, (params: unknown) => {
      const status = parseStatus(params);
      if (status) {
        this.statusEmitter.fire({ kind: 'status', status });
      }
    });
    client.onDidChangeState((event) => {
      if (event.newState === State.Starting) {
        this.statusEmitter.fire({ kind: 'starting' });
      } else if (event.newState === State.Running && this.process) {
        this.process.answered = true;
        if (this.process.moments) {
          this.process.moments.initialized = performance.now();
        }
        this.log.appendLine(`[java] the server answered initialize ${Math.round(performance.now() - this.process.startedAt)} ms after its start`);
      } else if (event.newState === State.Stopped && this.stoppedBecause === undefined) {
        this.statusEmitter.fire({ kind: 'stopped', reason: 'The ColdSpy server stopped.' });
      }
    });
    return client;
  }

  /** Pushes the current settings to the server (it may also pull them with `workspace/configuration`). */
  private sendSettings(): void {
    const { DidChangeConfigurationNotification, State } = languageClientLibrary();
    if (this.client?.state !== State.Running) {
      return;
    }
    const settings = serverSettingsFor(vscode.workspace.workspaceFolders?.[0], this.log);
    void this.client
      .sendNotification(DidChangeConfigurationNotification.type, { settings: { coldspy: settings } })
      .catch((error: Error) => this.log.appendLine(`[client] sending settings: ${error.message}`));
  }

  /** The server learns about trust only in `initialize`: a trusted workspace needs a new server. */
  private onTrustGranted(): void {
    if (this.client) {
      this.log.appendLine('[client] the workspace is now trusted: restarting the server so that it may profile');
      void this.restart();
    }
  }

  private onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration('coldspy')) {
      return;
    }
    if (event.affectsConfiguration('coldspy.inlayHints.enabled')) {
      const hints = this.client?.getFeature(languageClientLibrary().InlayHintRequest.method);
      new Set(vscode.workspace.textDocuments.map((document) => hints?.getProvider(document))).forEach((p) => p?.onDidChangeInlayHints.fire());
    }
    if (RESTART_SETTINGS.some((key) => event.affectsConfiguration(key))) {
      void vscode.window
        .showInformationMessage('ColdSpy uses the new Java setting after a restart of its server.', 'Restart Server')
        .then((choice) => choice && this.restart());
      return;
    }
    this.sendSettings();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  /** Stops the server process (on deactivation). */
  async shutdown(): Promise<void> {
    await this.stopServer();
  }

  /**
   * `shutdown` and `exit` to the server, then waits for its JVM to end — longer when it writes its class-data
   * archive on the way out — and kills it if it does not.
   */
  private async stopServer(): Promise<void> {
    const client = this.client;
    const running = this.process;
    this.client = undefined;
    this.process = undefined;
    if (client) {
      await client.dispose(EXIT_MS).catch((error: Error) => this.log.appendLine(`[client] stopping the server: ${error.message}`));
    }
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      const limit = running.plan?.mode === 'create' ? ARCHIVE_EXIT_MS : EXIT_MS;
      const timer = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), limit));
      const ended = await Promise.race([running.exited.then(() => true), timer]);
      if (!ended) {
        this.log.appendLine(`[client] the server did not exit within ${limit / 1000} s of \`exit\`; killing it`);
        running.child.kill('SIGKILL');
      }
    }
  }
}
