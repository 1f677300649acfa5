#!/usr/bin/env node
// Exit status 0 when `java -jar <jar> serve` answers an LSP `initialize` request over stdio within 120 s (a JVM
// start on a loaded 2-core machine can take a while). scripts/test.d/50-vscode.sh runs it before the end-to-end
// test, so that a server that does not start fails with this clear message rather than a UI timeout.
'use strict';
const { startServer } = require('./lsp-stdio');

const jar = process.argv[2];
if (!jar) {
  console.error('usage: jar-speaks-lsp.js path/to/coldspy.jar');
  process.exit(2);
}
const finish = (ok, why) => {
  console.log(`${jar} serve: ${why}`);
  server.process.kill();
  process.exit(ok ? 0 : 1);
};
const server = startServer(process.env.JAVA || 'java', ['-jar', jar, 'serve']);
server.process.stderr.pipe(process.stderr);
setTimeout(() => finish(false, 'no answer to initialize within 120 s'), 120000).unref();
server
  .request('initialize', { processId: process.pid, rootUri: null, capabilities: {} })
  .then(({ message }) => {
    server.request('shutdown').then(() => server.notify('exit'), () => undefined);
    finish(Boolean(message.result && message.result.capabilities), message.result ? 'answers initialize' : `initialize failed: ${JSON.stringify(message.error)}`);
  })
  .catch((error) => finish(false, error.message));
