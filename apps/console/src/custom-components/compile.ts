// JSX → plain JS for the sandbox frame (sucrase, loaded on demand). The frame provides `h` and
// `Fragment`; the source must define `function Component(props, ctx)`.
export interface CompileResult {
  ok: boolean;
  code?: string;
  error?: string;
  ms: number;
}

export async function compileJsx(source: string): Promise<CompileResult> {
  const t0 = performance.now();
  const { transform } = await import('sucrase');
  try {
    const out = transform(source, { transforms: ['jsx', 'typescript'], jsxRuntime: 'classic', jsxPragma: 'h', jsxFragmentPragma: 'Fragment', production: true, disableESTransforms: true });
    if (!/\bComponent\b/.test(out.code)) return { ok: false, error: 'the source must define function Component(props, ctx)', ms: performance.now() - t0 };
    return { ok: true, code: out.code, ms: performance.now() - t0 };
  } catch (e) {
    // sucrase messages carry "(line:col)"
    return { ok: false, error: `JSX syntax error: ${(e as Error).message}`, ms: performance.now() - t0 };
  }
}
