// The HTML report in a VS Code webview. The report's `file:line` links are file:// URLs, which do nothing in a
// webview; a small script of the extension's own, allowed by a CSP nonce, turns a click on one into a message,
// and the extension opens the file at that line.
import { randomBytes } from 'crypto';
import * as path from 'path';
import { fileURLToPath } from 'url';

/** What the injected script posts when a link with `data-file` / `data-line` is clicked. */
export interface OpenLinkMessage {
  type: 'open';
  file: string;
  line: number;
  href?: string;
}

/** A file and a 1-based line to show in an editor. */
export interface LinkTarget {
  file: string;
  line: number;
}

// Runs in the webview. acquireVsCodeApi() may be called once per page: the report's own script never calls it.
const LINK_SCRIPT = `(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', function (event) {
    const link = event.target instanceof Element ? event.target.closest('[data-file][data-line]') : null;
    if (!link) return;
    event.preventDefault();
    vscode.postMessage({ type: 'open', file: link.getAttribute('data-file'), line: Number(link.getAttribute('data-line')),
      href: link.getAttribute('href') || undefined });
  }, true);
})();`;

/** The webview's policy: no network, inline styles (the report's), and only scripts that carry the nonce. */
export function webviewPolicy(nonce: string): string {
  return `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; img-src data:`;
}

/**
 * The report page made for a webview: its Content-Security-Policy replaced by {@link webviewPolicy} (with a
 * nonce, 'unsafe-inline' would be ignored, so the report's own scripts get the nonce too) and the link script
 * added at the end of the body.
 */
export function reportForWebview(reportHtml: string, nonce: string): string {
  const withoutPolicy = reportHtml.replace(/<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>\s*/gi, '');
  const head = /<head(\s[^>]*)?>/i.exec(withoutPolicy);
  if (!head) {
    throw new Error('the report has no <head>');
  }
  const at = head.index + head[0].length;
  const policy = `\n<meta http-equiv="Content-Security-Policy" content="${webviewPolicy(nonce)}">`;
  const page = nonceScripts(withoutPolicy.slice(0, at) + policy + withoutPolicy.slice(at), nonce);
  const script = `<script nonce="${nonce}">${LINK_SCRIPT}</script>\n`;
  const bodyEnd = page.toLowerCase().lastIndexOf('</body>');
  return bodyEnd < 0 ? page + script : page.slice(0, bodyEnd) + script + page.slice(bodyEnd);
}

/**
 * Gives every <script> start tag the nonce. A script's text is skipped up to its end tag (it cannot contain
 * `</script`), so text such as "<script" inside the report's JSON data stays as it is.
 */
function nonceScripts(html: string, nonce: string): string {
  const lower = html.toLowerCase();
  const start = /<script(?=[\s>])/gi;
  let out = '';
  let from = 0;
  for (let match = start.exec(html); match; match = start.exec(html)) {
    const end = lower.indexOf('</script', match.index);
    const stop = end < 0 ? html.length : end;
    out += html.slice(from, match.index) + `<script nonce="${nonce}"` + html.slice(match.index + '<script'.length, stop);
    from = stop;
    start.lastIndex = stop;
  }
  return out + html.slice(from);
}

/**
 * Where a clicked link points: the href's path when it is a file:// URL (the report makes it absolute from its
 * source root), else `file` (absolute, or relative to `folder`). Undefined for anything else a page could post.
 */
export function linkTarget(message: unknown, folder: string): LinkTarget | undefined {
  if (typeof message !== 'object' || message === null) {
    return undefined;
  }
  const { type, file, line, href } = message as Partial<OpenLinkMessage>;
  if (type !== 'open' || typeof file !== 'string' || file === '' || !Number.isInteger(line) || (line as number) < 1) {
    return undefined;
  }
  let target = path.resolve(folder, file);
  if (typeof href === 'string' && href.startsWith('file:')) {
    try {
      target = fileURLToPath(href);
    } catch {
      // a malformed URL: keep the path from data-file
    }
  }
  return { file: target, line: line as number };
}

/** A nonce for the webview's policy (fresh for each page). */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}
