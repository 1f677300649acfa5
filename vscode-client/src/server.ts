// The ColdSpy language server process: finds Java, starts `java -jar server/coldspy.jar serve` over stdio,
// answers `workspace/configuration`, forwards setting changes, and restarts a crashed server a few times.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  InlayHintRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { JavaProbe, JavaResolution, resolveJava } from './java';
import { RestartPolicy } from './restartPolicy';
import { RESTART_SETTINGS, sectionOf, ServerSettings, toServerSettings } from './settings';
import { parseStatus, StatusParams } from './status';

export const STATUS_NOTIFICATION = 'coldspy/status';

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

export class ColdSpyServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private java: JavaResolution | undefined;
  private readonly restartPolicy = new RestartPolicy();
  private readonly statusEmitter = new vscode.EventEmitter<StatusParams | undefined>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly commandInterceptors = new Map<string, (args: unknown[]) => Promise<unknown>>();
  /** Why the server is not running, when it is not (shown by commands that need it). */
  private stoppedBecause: string | undefined;

  /** Fires with each `coldspy/status` notification, and with undefined when the server stops. */
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
    if (this.client && this.client.state === State.Running) {
      return this.client;
    }
    void vscode.window.showErrorMessage(this.stoppedBecause ?? 'The ColdSpy server is not running yet.', 'Show Log').then((choice) => {
      if (choice) {
        this.log.show(true);
      }
    });
    return undefined;
  }

  /** The Java the server runs with (resolving it when the server has not been started). */
  async javaExecutable(): Promise<string | undefined> {
    if (!this.java?.ok) {
      this.java = await resolveJava(vscode.workspace.getConfiguration('coldspy').get<string>('java.home'), nodeJavaProbe);
    }
    return this.java.ok ? this.java.executable : undefined;
  }

  async start(): Promise<void> {
    this.stoppedBecause = undefined;
    const configuredHome = vscode.workspace.getConfiguration('coldspy').get<string>('java.home');
    this.java = await resolveJava(configuredHome, nodeJavaProbe);
    for (const candidate of this.java.checked) {
      this.log.appendLine(`[java] ${candidate.source} ${candidate.location}: ${candidate.problem ?? 'used'}`);
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
    this.log.appendLine(`[java] starting the server with ${this.java.executable} (Java ${this.java.version}, from ${this.java.source})`);
    this.client = this.createClient(this.java.executable);
    try {
      // No settings push here: the server pulls them (workspace/configuration) once initialized.
      await this.client.start();
    } catch (error) {
      this.stop(`The ColdSpy server did not start: ${(error as Error).message}`);
    }
  }

  /** A restart asked for by the user: a new process with fresh chances after crashes. */
  async restart(): Promise<void> {
    this.restartPolicy.reset();
    const old = this.client;
    this.client = undefined;
    if (old) {
      await old.dispose(5000).catch((error: Error) => this.log.appendLine(`[client] stopping the old server: ${error.message}`));
    }
    this.statusEmitter.fire(undefined);
    await this.start();
  }

  private stop(reason: string): void {
    this.stoppedBecause = reason;
    this.log.appendLine(`[client] ${reason}`);
    this.statusEmitter.fire(undefined);
  }

  private createClient(java: string): LanguageClient {
    const serverOptions: ServerOptions = {
      command: java,
      // No `transport`: TransportKind.stdio would append `--stdio`, which `coldspy serve` does not take (it
      // always speaks over stdio).
      args: ['-jar', this.serverJar, 'serve'],
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
        // The inlay hints switch is the extension's: hints are dropped here, so a change applies at once.
        provideInlayHints: (document, range, token, next) =>
          vscode.workspace.getConfiguration('coldspy', document).get<boolean>('inlayHints.enabled', true) ? next(document, range, token) : [],
        executeCommand: (command, args, next) => {
          const intercept = this.commandInterceptors.get(command);
          return intercept ? intercept(args) : next(command, args);
        },
        workspace: {
          configuration: async (params, token, next) => {
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
    client.onNotification(STATUS_NOTIFICATION, (params: unknown) => this.statusEmitter.fire(parseStatus(params)));
    client.onDidChangeState((event) => {
      if (event.newState === State.Stopped) {
        this.statusEmitter.fire(undefined);
      }
    });
    return client;
  }

  /** Pushes the current settings to the server (it may also pull them with `workspace/configuration`). */
  private sendSettings(): void {
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
      const hints = this.client?.getFeature(InlayHintRequest.method);
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
    const client = this.client;
    this.client = undefined;
    if (client) {
      await client.dispose(3000).catch(() => undefined);
    }
  }
}
