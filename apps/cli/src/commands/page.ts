// Low-code apps and pages from the command line: list, export an app with its pages to a file,
// import one (ours or a SREWorks export), publish a page's draft or roll back to a version.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { clientFor } from '../client.js';
import { formatOf, print } from '../output.js';

const enc = encodeURIComponent;

export function registerPageCommands(program: Command): void {
  const page = program.command('page').description('low-code ops apps and their pages: list, export, import, publish');
  page.command('apps').description('ops apps with their menus').action(async (_o, cmd: Command) => {
    print(await clientFor(cmd).list('/api/lowcode/apps'), formatOf(cmd), ['id', 'name', 'source', 'updatedAt']);
  });
  page.command('list <appId>').description('the pages of an app').action(async (appId: string, _o, cmd: Command) => {
    print(await clientFor(cmd).list(`/api/lowcode/apps/${enc(appId)}/pages`), formatOf(cmd), ['pageId', 'title', 'publishedVersion', 'draftVersion', 'latestVersion']);
  });
  page
    .command('get <appId> <pageId>')
    .option('--version <v>', '"draft", a version number, or the published page (default)')
    .action(async (appId: string, pageId: string, o, cmd: Command) => {
      const q = o.version ? `?version=${enc(o.version)}` : '';
      const f = formatOf(cmd);
      print(await clientFor(cmd).request('GET', `/api/lowcode/apps/${enc(appId)}/pages/${enc(pageId)}${q}`), f === 'table' ? 'yaml' : f);
    });
  page
    .command('export <appId>')
    .description('write an app with its pages as JSON (stdout, or --file)')
    .option('--drafts', 'export the drafts instead of the published pages')
    .option('-f, --file <file>', 'output file')
    .action(async (appId: string, o, cmd: Command) => {
      const bundle = await clientFor(cmd).request('GET', `/api/lowcode/apps/${enc(appId)}/export${o.drafts ? '?version=draft' : ''}`);
      const text = JSON.stringify(bundle, null, 2) + '\n';
      if (o.file) {
        writeFileSync(o.file, text);
        process.stdout.write(`exported ${appId} (${(bundle.pages ?? []).length} pages) to ${o.file}\n`);
      } else process.stdout.write(text);
    });
  page
    .command('import <file>')
    .description('import an app with its pages, all or nothing')
    .option('--sreworks', 'the file is a SREWorks page export')
    .option('--publish', 'publish the imported pages')
    .option('--as <appId>', 'import as a copy under another app id (our export format)')
    .action(async (file: string, o, cmd: Command) => {
      let bundle: { app?: { id?: string }; pages?: Array<{ app?: string }> };
      try {
        bundle = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new Error(`${file}: not a JSON file (${(e as Error).message})`);
      }
      if (o.as) {
        if (o.sreworks || !bundle.app) throw new Error('--as needs a bundle written by `sreworks page export`');
        bundle.app.id = o.as;
        for (const p of bundle.pages ?? []) p.app = o.as;
      }
      const r = await clientFor(cmd).request('POST', '/api/lowcode/import', { format: o.sreworks ? 'sreworks' : 'native', bundle, publish: !!o.publish });
      print(r, formatOf(cmd) === 'table' ? 'yaml' : formatOf(cmd));
    });
  page
    .command('publish <appId> <pageId>')
    .description('publish the draft, or roll back to an older --version')
    .option('--version <n>', 'version to publish')
    .action(async (appId: string, pageId: string, o, cmd: Command) => {
      const r = await clientFor(cmd).request('POST', `/api/lowcode/apps/${enc(appId)}/pages/${enc(pageId)}/publish`, o.version ? { version: Number(o.version) } : {});
      process.stdout.write(`published ${appId}/${pageId}: version ${r.publishedVersion}\n`);
    });
}
