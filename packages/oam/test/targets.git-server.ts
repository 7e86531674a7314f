// A real smart-HTTP git server for tests: node:http in front of `git http-backend` (CGI),
// with HTTP basic auth, so the GitOps target's credential path is exercised end to end.

import { spawn, execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  url: string;
  close(): Promise<void>;
}

export async function startGitHttpServer(root: string, auth: { username: string; password: string }): Promise<GitHttpServer> {
  const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end('unauthorized');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://git');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.receivepack',
        GIT_CONFIG_VALUE_0: 'true',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: String(req.headers['content-type'] ?? ''),
        REMOTE_USER: auth.username,
        REMOTE_ADDR: '127.0.0.1',
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
      },
    });
    req.pipe(cgi.stdin);
    let buf = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      buf = Buffer.concat([buf, chunk]);
      const idx = buf.indexOf('\r\n\r\n');
      if (idx < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of buf.subarray(0, idx).toString('utf8').split('\r\n')) {
        const [k, ...v] = line.split(':');
        if (k.toLowerCase() === 'status') status = Number(v.join(':').trim().split(' ')[0]);
        else headers[k] = v.join(':').trim();
      }
      res.writeHead(status, headers);
      res.write(buf.subarray(idx + 4));
    });
    cgi.on('close', () => res.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function initBareRepo(path: string): void {
  execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', path]);
}

export function gitShow(repo: string, rev: string): string {
  return execFileSync('git', ['--git-dir', repo, 'show', rev], { encoding: 'utf8' });
}

export function gitLog(repo: string, branch: string): string[] {
  return execFileSync('git', ['--git-dir', repo, 'log', '--format=%s', branch], { encoding: 'utf8' }).trim().split('\n');
}
