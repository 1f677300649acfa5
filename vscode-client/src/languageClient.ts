// vscode-languageclient, loaded when first used rather than with the extension's module. It is 95 % of the
// bundle, and evaluating it takes 30–80 ms (2 cores, quiet to loaded: docs/benchmarks.md, "VS Code: where the
// seconds go"); loaded here, that time runs while the server's JVM starts instead of before it (server.ts).
// Only types may be imported from the library elsewhere (`import type`): a value import would load it with the
// module again.
import type * as LanguageClientLibrary from 'vscode-languageclient/node';

export function languageClientLibrary(): typeof LanguageClientLibrary {
  return require('vscode-languageclient/node') as typeof LanguageClientLibrary;
}
