// CodeMirror 6 setup shared by CodeViewer and CodeEditor (a lazy chunk: only those two import it).
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { HighlightStyle, bracketMatching, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { yaml } from '@codemirror/lang-yaml';
import { tags } from '@lezer/highlight';
import { parseDocument } from 'yaml';

export type CodeLanguage = 'json' | 'yaml' | 'text';

/** The antd tokens the editor theme needs (passed in so this module has no React). */
export interface EditorColors {
  dark: boolean;
  text: string;
  textSecondary: string;
  bg: string;
  bgSubtle: string;
  border: string;
  selection: string;
  primary: string;
  success: string;
  warning: string;
  error: string;
  info: string;
  fontFamilyCode: string;
  fontSize: number;
}

/** YAML parse errors as diagnostics at their positions. */
export function yamlDiagnostics(text: string): Diagnostic[] {
  const doc = parseDocument(text, { prettyErrors: false });
  return doc.errors.map((e) => ({
    from: Math.min(e.pos[0], text.length),
    to: Math.min(Math.max(e.pos[1], e.pos[0]), text.length),
    severity: 'error',
    message: e.message.split('\n')[0],
  }));
}

function languageExtensions(lang: CodeLanguage, lint: boolean): Extension[] {
  if (lang === 'json') return [json(), ...(lint ? [linter(jsonParseLinter(), { delay: 300 }), lintGutter()] : [])];
  if (lang === 'yaml') return [yaml(), ...(lint ? [linter((v) => yamlDiagnostics(v.state.doc.toString()), { delay: 300 }), lintGutter()] : [])];
  return [];
}

function themeExtensions(c: EditorColors): Extension[] {
  const theme = EditorView.theme(
    {
      '&': { color: c.text, backgroundColor: c.bg, fontSize: `${c.fontSize}px`, border: `1px solid ${c.border}`, borderRadius: '6px' },
      '.cm-content': { fontFamily: c.fontFamilyCode, caretColor: c.text },
      '.cm-scroller': { fontFamily: c.fontFamilyCode },
      '.cm-gutters': { backgroundColor: c.bgSubtle, color: c.textSecondary, borderRight: `1px solid ${c.border}` },
      '.cm-activeLine': { backgroundColor: c.bgSubtle },
      '.cm-activeLineGutter': { backgroundColor: c.bgSubtle },
      '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: c.selection },
      '.cm-cursor': { borderLeftColor: c.text },
      '&.cm-focused': { outline: `1px solid ${c.primary}` },
      '.cm-tooltip': { backgroundColor: c.bg, color: c.text, border: `1px solid ${c.border}` },
    },
    { dark: c.dark },
  );
  const highlight = HighlightStyle.define([
    { tag: [tags.keyword, tags.bool, tags.null], color: c.primary },
    { tag: [tags.string, tags.special(tags.string)], color: c.success },
    { tag: [tags.number, tags.integer, tags.float], color: c.warning },
    { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: c.info },
    { tag: [tags.comment, tags.lineComment, tags.blockComment], color: c.textSecondary, fontStyle: 'italic' },
    { tag: [tags.invalid], color: c.error },
    { tag: [tags.meta, tags.typeName, tags.labelName], color: c.textSecondary },
  ]);
  return [theme, syntaxHighlighting(highlight)];
}

export interface EditorOptions {
  value: string;
  language: CodeLanguage;
  readOnly: boolean;
  lint: boolean;
  wrap: boolean;
  colors: EditorColors;
  onChange?: (text: string) => void;
  onSave?: (text: string) => void;
}

export function createEditor(parent: HTMLElement, o: EditorOptions): EditorView {
  const extensions: Extension[] = [
    lineNumbers(),
    foldGutter(),
    drawSelection(),
    bracketMatching(),
    ...languageExtensions(o.language, o.lint),
    ...themeExtensions(o.colors),
    EditorState.tabSize.of(2),
  ];
  if (o.wrap) extensions.push(EditorView.lineWrapping);
  if (o.readOnly) {
    extensions.push(EditorState.readOnly.of(true), EditorView.editable.of(false));
  } else {
    extensions.push(
      history(),
      indentOnInput(),
      highlightActiveLine(),
      highlightActiveLineGutter(),
      keymap.of([
        { key: 'Mod-s', preventDefault: true, run: (v) => (o.onSave?.(v.state.doc.toString()), true) },
        ...defaultKeymap,
        ...historyKeymap,
        ...foldKeymap,
        indentWithTab,
      ]),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) o.onChange?.(u.state.doc.toString());
      }),
    );
  }
  return new EditorView({ parent, state: EditorState.create({ doc: o.value, extensions }) });
}

/** Replace the document when the value changed from outside (keeps undo history otherwise). */
export function setEditorValue(view: EditorView, value: string): void {
  const cur = view.state.doc.toString();
  if (cur !== value) view.dispatch({ changes: { from: 0, to: cur.length, insert: value } });
}
