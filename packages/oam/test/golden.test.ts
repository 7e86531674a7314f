// Golden cases: every folder of packages/oam/testdata is one case — app.yaml (or app.ref naming a
// shared fixture), optional definitions/ and env.yaml, and expected.yaml (the objects) or
// error.yaml (code, field, message). Add a case by adding a folder; UPDATE_GOLDEN=1 rewrites
// expected.yaml (review the diff: it must match what KubeVela renders for the same app).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { createBuiltinRegistry, formatObjectsYaml, loadDefinitionsDir, parseApplication, renderApp, RenderEngine } from '../src/index.js';
import { fixturePath, TESTDATA } from './fixtures.js';

let engine: RenderEngine;
beforeAll(async () => {
  engine = await RenderEngine.create();
});
afterAll(() => engine.dispose());

const cases = readdirSync(TESTDATA).filter((d) => existsSync(join(TESTDATA, d, 'app.yaml')) || existsSync(join(TESTDATA, d, 'app.ref'))).sort();

async function renderCase(dir: string) {
  const ref = join(dir, 'app.ref');
  const file = existsSync(ref) ? fixturePath(readFileSync(ref, 'utf8').trim()) : join(dir, 'app.yaml');
  const defsDir = join(dir, 'definitions');
  const registry = createBuiltinRegistry(existsSync(defsDir) ? loadDefinitionsDir(defsDir) : []);
  const envFile = join(dir, 'env.yaml');
  const env = existsSync(envFile) ? parse(readFileSync(envFile, 'utf8')) : undefined;
  const model = parseApplication(readFileSync(file, 'utf8'), { document: 'app.yaml' });
  return renderApp(model, { registry, env, engine });
}

describe('golden render cases (testdata/*)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(20));
  for (const name of cases) {
    const dir = join(TESTDATA, name);
    const errFile = join(dir, 'error.yaml');
    if (existsSync(errFile)) {
      it(`${name}: fails with the expected error`, async () => {
        const want = parse(readFileSync(errFile, 'utf8')) as { code: string; field?: string; message?: string };
        const err = await renderCase(dir).then(
          () => undefined,
          (e) => e,
        );
        expect(err, 'rendering should fail').toBeDefined();
        expect(err.code).toBe(want.code);
        if (want.field) expect(err.details?.field).toBe(want.field);
        if (want.message) expect(err.message).toContain(want.message);
      });
      continue;
    }
    it(`${name}: renders the expected objects`, async () => {
      const result = await renderCase(dir);
      const text = formatObjectsYaml(result);
      const expFile = join(dir, 'expected.yaml');
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(expFile)) {
        if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`${name}: expected.yaml is missing (run with UPDATE_GOLDEN=1 and review it)`);
        writeFileSync(expFile, text);
      }
      const want = parseAllDocuments(readFileSync(expFile, 'utf8')).map((d) => d.toJS());
      const got = parseAllDocuments(text).map((d) => d.toJS());
      expect(got).toEqual(want);
    });
  }
});
