import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { linkTarget, reportForWebview, webviewPolicy } from '../src/reportWebview';

// The report page as the jar builds it: the template from the server's resources, with a script and data in.
const TEMPLATE = path.resolve(__dirname, '../../../server/src/main/resources/dev/coldspy/report/report.html');
const report = fs
  .readFileSync(TEMPLATE, 'utf8')
  .replace('/*COLDSPY_STYLE*/', 'body { color: black }')
  .replace('/*COLDSPY_SCRIPT*/', 'document.title = "rendered";')
  .replace('/*COLDSPY_DATA*/', '{"note": "a <script> in the data"}');

function policies(html: string): string[] {
  return [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)].map((m) => m[1]);
}

describe('the report in a webview', () => {
  const page = reportForWebview(report, 'n0nce');

  it('replaces the report policy by one that allows only scripts with the nonce', () => {
    assert.deepEqual(policies(report).length, 1);
    assert.deepEqual(policies(page), [webviewPolicy('n0nce')]);
    assert.match(webviewPolicy('n0nce'), /script-src 'nonce-n0nce'(;|$)/);
    assert.doesNotMatch(webviewPolicy('n0nce'), /unsafe-inline'[^;]*script|script-src[^;]*unsafe-inline/);
  });

  it("gives the report's own scripts the nonce, but leaves script-like text in the data alone", () => {
    assert.ok(page.includes('{"note": "a <script> in the data"}'));
    const tags = page.replace('a <script> in the data', '');
    const scripts = [...tags.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
    assert.equal(scripts.length, 3, scripts.join('\n')); // the data, the report's script, the link script
    assert.ok(scripts.every((s) => s.includes('nonce="n0nce"')), scripts.join('\n'));
    assert.ok(page.includes('document.title = "rendered";'));
  });

  it('adds the link script at the end of the body', () => {
    const linkScript = page.lastIndexOf('acquireVsCodeApi()');
    assert.ok(linkScript > page.indexOf('document.title = "rendered";'));
    assert.ok(linkScript < page.indexOf('</body>'));
    assert.match(page, /closest\('\[data-file\]\[data-line\]'\)/);
    assert.match(page, /postMessage\(\{ type: 'open', file:/);
  });

  it('refuses a page without a head', () => {
    assert.throws(() => reportForWebview('<p>no head</p>', 'n'), /no <head>/);
  });
});

describe('a clicked report link', () => {
  const folder = '/work/app';

  it("opens the file:// href's path (percent-decoded) at the line", () => {
    assert.deepEqual(linkTarget({ type: 'open', file: 'src/my handler.py', line: 7, href: 'file:///srv/app/src/my%20handler.py' }, folder), {
      file: '/srv/app/src/my handler.py',
      line: 7,
    });
  });

  it('resolves a relative data-file under the folder when there is no file:// href', () => {
    assert.deepEqual(linkTarget({ type: 'open', file: 'handler.py', line: 3 }, folder), { file: '/work/app/handler.py', line: 3 });
    assert.deepEqual(linkTarget({ type: 'open', file: '/abs/h.py', line: 1, href: 'https://example.com' }, folder), { file: '/abs/h.py', line: 1 });
  });

  it('ignores anything else a page could post', () => {
    for (const message of [null, 'open', { type: 'other', file: 'a.py', line: 1 }, { type: 'open', file: '', line: 1 },
      { type: 'open', file: 'a.py', line: 0 }, { type: 'open', file: 'a.py', line: 2.5 }, { type: 'open', file: 'a.py', line: '3' }]) {
      assert.equal(linkTarget(message, folder), undefined, JSON.stringify(message));
    }
  });
});
