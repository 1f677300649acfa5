#!/usr/bin/env node
// Exit status 0 when `java -jar <jar> serve` answers an LSP `initialize` request over stdio within 120 s (a JVM
// start on a loaded 2-core machine can take a while). scripts/test.d/50-vscode.sh runs it before the end-to-end
// test, so that a server that does not start fails with this clear message rather than a UI timeout.
'use strict';
const { spawn } = require('child_process');

const jar = process.argv[2];
if (!jar) {
  console.error('usage: jar-speaks-lsp.js path/to/coldspy.jar');
  process.exit(2);
}
const server = spawn(process.env.JAVA || 'java', ['-jar', jar, 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
const send = (message) => {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
};
const finish = (ok, why) => {
  console.log(`${jar} serve: ${why}`);
  server.kill();
  process.exit(ok ? 0 : 1);
};
const timer = setTimeout(() => finish(false, 'no answer to initialize within 120 s'), 120000);
let buffer = Buffer.alloc(0);
server.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    const length = /Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'));
    if (headerEnd < 0 || !length || buffer.length < headerEnd + 4 + Number(length[1])) {
      return;
    }
    const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + Number(length[1])).toString('utf8'));
    buffer = buffer.subarray(headerEnd + 4 + Number(length[1]));
    if (message.id === 1) {
      clearTimeout(timer);
      send({ id: 2, method: 'shutdown' });
      send({ method: 'exit' });
      finish(Boolean(message.result && message.result.capabilities), message.result ? 'answers initialize' : `initialize failed: ${JSON.stringify(message.error)}`);
    }
  }
});
server.on('exit', (code) => finish(false, `exited with status ${code} before answering initialize`));
send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
