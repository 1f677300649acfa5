// A minimal LSP client over a child process's stdio, for the scripts that talk to `coldspy.jar serve` without
// VS Code (jar-speaks-lsp.js, bench-server-start.js): Content-Length framing, requests with ids, the server's
// notifications and requests (answered by `onServerRequest`, default null).
'use strict';
const { spawn } = require('child_process');

/**
 * Starts `java <args>` and returns { process, startedAt, request(method, params), notify(method, params),
 * notifications (an array of { at, message }), waitFor(predicate, timeoutMs), stderr() }. Times are
 * performance.now() milliseconds.
 */
function startServer(java, args, { cwd, onServerRequest = () => null } = {}) {
  const startedAt = performance.now();
  const child = spawn(java, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let nextId = 1;
  const pending = new Map();
  const notifications = [];
  const waiters = [];
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const write = (message) => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  const check = () => {
    for (const waiter of [...waiters]) {
      const found = notifications.find(waiter.predicate);
      if (found) {
        waiters.splice(waiters.indexOf(waiter), 1);
        clearTimeout(waiter.timer);
        waiter.resolve(found);
      }
    }
  };
  let buffer = Buffer.alloc(0);
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      const length = headerEnd < 0 ? null : /Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'));
      if (!length || buffer.length < headerEnd + 4 + Number(length[1])) {
        return;
      }
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + Number(length[1])).toString('utf8'));
      buffer = buffer.subarray(headerEnd + 4 + Number(length[1]));
      const at = performance.now();
      if (message.method !== undefined && message.id !== undefined) {
        write({ id: message.id, result: onServerRequest(message) });
      } else if (message.method !== undefined) {
        notifications.push({ at, message });
        check();
      } else if (pending.has(message.id)) {
        pending.get(message.id)({ at, message });
        pending.delete(message.id);
      }
    }
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  exited.then(({ code, signal }) => {
    const why = new Error(`the server exited (status ${code}, signal ${signal}) ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    pending.forEach((resolve) => resolve({ at: performance.now(), error: why }));
    pending.clear();
    waiters.splice(0).forEach((waiter) => waiter.reject(why));
  });
  return {
    process: child,
    startedAt,
    exited,
    stderr: () => stderr,
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, (answer) => (answer.error ? reject(answer.error) : resolve(answer)));
        write({ id, method, params });
      });
    },
    notify(method, params) {
      write({ method, params });
    },
    notifications,
    waitFor(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve, reject, timer: setTimeout(() => reject(new Error(`no such notification within ${timeoutMs} ms`)), timeoutMs) };
        waiters.push(waiter);
        check();
      });
    },
  };
}

module.exports = { startServer };
