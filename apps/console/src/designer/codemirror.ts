// The designer's code editor (CodeMirror 6, bundled; this module is its own lazy chunk).
// Completions offer the function's argument names with their types, plus keys seen in the last
// test-run result, so `respData.` suggests what the live response actually holds.
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput, syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
import { autocompletion, closeBrackets, type Completion, type CompletionContext } from '@codemirror/autocomplete';
import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';

export interface Hint {
  name: string;
  type: string;
  doc: string;
}

export interface EditorHandle {
  view: EditorView;
  setHints(h: Hint[], sample?: Record<string, unknown>): void;
  destroy(): void;
}

function keysOf(v: unknown, path: string[]): string[] {
  let cur: unknown = v;
  for (const p of path) {
    if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[p];
    else return [];
  }
  if (Array.isArray(cur)) return ['length', 'map', 'filter', 'find', 'reduce', ...(cur[0] && typeof cur[0] === 'object' ? [] : [])];
  return cur && typeof cur === 'object' ? Object.keys(cur) : [];
}

export function createEditor(parent: HTMLElement, opts: { value: string; language: 'js' | 'json'; onChange(v: string): void; hints?: Hint[]; sample?: Record<string, unknown>; dark?: boolean; minHeight?: number }): EditorHandle {
  let hints = opts.hints ?? [];
  let sample = opts.sample ?? {};
  const complete = (ctx: CompletionContext) => {
    const m = ctx.matchBefore(/[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*\.?/);
    if (!m || (m.from === m.to && !ctx.explicit)) return null;
    const parts = m.text.split('.');
    if (parts.length === 1) {
      const options: Completion[] = hints.map((h) => ({ label: h.name, type: 'variable', detail: h.type, info: h.doc }));
      return { from: m.from, options };
    }
    const [root, ...rest] = parts;
    const prefixPath = rest.slice(0, -1);
    const keys = keysOf(sample[root!], prefixPath);
    const last = rest[rest.length - 1] ?? '';
    return { from: m.to - last.length, options: keys.map((k) => ({ label: k, type: 'property' })) };
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: opts.value,
      extensions: [
        lineNumbers(),
        history(),
        highlightActiveLine(),
        bracketMatching(),
        closeBrackets(),
        indentOnInput(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        opts.language === 'js' ? javascript() : json(),
        autocompletion({ override: opts.language === 'js' ? [complete] : [] }),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.lineWrapping,
        EditorView.updateListener.of((u) => u.docChanged && opts.onChange(u.state.doc.toString())),
        EditorView.theme({ '&': { fontSize: '12px', border: '1px solid rgba(128,128,128,.35)', borderRadius: '6px' }, '.cm-content': { minHeight: `${opts.minHeight ?? 80}px` }, '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' } }, { dark: opts.dark }),
      ],
    }),
  });
  return {
    view,
    setHints(h, s) {
      hints = h;
      if (s) sample = s;
    },
    destroy: () => view.destroy(),
  };
}
