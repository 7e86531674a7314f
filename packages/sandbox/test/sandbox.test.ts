import { beforeAll, describe, expect, it } from 'vitest';
import { loadSandbox, SandboxError, type SandboxHost } from '../src/index.js';

let sb: SandboxHost;
beforeAll(async () => {
  sb = await loadSandbox();
});

describe('sandbox modules', () => {
  it('compiles once and calls an export many times with JSON in and out', () => {
    const m = sb.compileModule('export function render({ parameter }) { return { output: { replicas: parameter.n * 2 } }; }');
    expect(m.exportNames).toEqual(['render']);
    expect(m.call('render', { parameter: { n: 2 } })).toEqual({ output: { replicas: 4 } });
    expect(m.call('render', { parameter: { n: 5 } })).toEqual({ output: { replicas: 10 } });
    m.dispose();
  });

  it('names syntax errors with the position', () => {
    try {
      sb.compileModule('export function render( {', { filename: 'webservice.js' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SandboxError);
      expect((e as SandboxError).kind).toBe('syntax');
      expect((e as SandboxError).status).toBe(422);
    }
  });

  it('stops an infinite loop at the deadline and recovers for the next call', () => {
    const m = sb.compileModule('export function spin(x) { if (x) while (true) {} return 1; }', { limits: { timeoutMs: 50 } });
    const t0 = Date.now();
    expect(() => m.call('spin', true)).toThrow(/longer than 50 ms/);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(m.call('spin', false)).toBe(1);
    m.dispose();
  });

  it('stops a memory hog', () => {
    const m = sb.compileModule('export function hog() { return new Array(1e8).fill(1).length }', {
      limits: { memoryBytes: 8 * 1024 * 1024, timeoutMs: 2000 },
    });
    expect(() => m.call('hog')).toThrow(/memory limit/);
    m.dispose();
  });

  it('reports thrown errors with their message', () => {
    const m = sb.compileModule('export function f() { throw new TypeError("parameter.image is required"); }');
    expect(() => m.call('f')).toThrow(/TypeError: parameter.image is required/);
    m.dispose();
  });

  it('has no way out: no process, require, fetch or host globals', () => {
    const probes = [
      `return typeof process`,
      `return typeof require`,
      `return typeof fetch`,
      `return typeof globalThis.parent`,
      `try { return typeof (({}).constructor.constructor('return process')()) } catch (e) { return 'threw' }`,
      `try { return typeof (Function('return this')().process) } catch (e) { return 'threw' }`,
    ];
    for (const p of probes) expect(['undefined', 'threw']).toContain(sb.runFunction(p, {}).value);
  });

  it('runs page functions and expressions against a scope', () => {
    expect(sb.runFunction('return data.items.filter(i => i.up).map(i => i.name)', { data: { items: [{ name: 'a', up: true }, { name: 'b' }] } }).value).toEqual(['a']);
    expect(sb.evalExpression('status.readyReplicas === spec.replicas', { status: { readyReplicas: 2 }, spec: { replicas: 2 } })).toBe(true);
  });

  it('captures console output and exposes explicit host functions only', () => {
    const r = sb.runFunction('console.log("hi", 1); return lookup("x")', {}, { host: { lookup: (k) => ({ key: k }) } });
    expect(r.value).toEqual({ key: 'x' });
    expect(r.logs).toEqual(['[log] hi 1']);
  });

  it('refuses non-JSON results clearly', () => {
    expect(() => sb.runFunction('return () => 1', {})).not.toThrow(); // functions stringify to undefined
    expect(() => sb.runFunction('const a = {}; a.a = a; return a', {})).toThrow(/not JSON-serialisable/);
  });
});
