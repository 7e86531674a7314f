import { useMemo, useRef, useState } from 'react';
import { Alert, Button, Flex, Typography } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { useT } from '../common/i18n.js';
import { parseStructured, structuredError } from '../Form/structured.js';
import { useEditor } from '../code/useEditor.js';
import { codeText, pickContent } from '../code/text.js';
import { defaults, type CodeEditorProps } from './meta.js';

export interface EditorOutput {
  text: string;
  value?: unknown;
  valid: boolean;
  error?: string;
}

export function evaluateText(text: string, language: 'json' | 'yaml' | 'text'): EditorOutput {
  if (language === 'text') return { text, value: text, valid: true };
  const error = structuredError(language, text);
  return error ? { text, valid: false, error } : { text, value: parseStructured(language, text), valid: true };
}

export function CodeEditor({ props, data, emit, setOutput }: WidgetRenderProps<CodeEditorProps>) {
  const p = withDefaults(defaults, props);
  const t = useT();
  const initial = useMemo(() => codeText(pickContent(p.content, data, p.field), p.language), [p.content, data, p.field, p.language]);
  const [state, setState] = useState<EditorOutput>(() => evaluateText(initial, p.language));
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const save = (text: string) => {
    clearTimeout(timer.current);
    const out = evaluateText(text, p.language);
    setState(out);
    if (p.validate && !out.valid) return;
    setOutput(out);
    emit('save', out);
  };
  const { ref, view } = useEditor({
    value: initial,
    language: p.language,
    readOnly: false,
    lint: p.validate,
    wrap: p.wrap,
    onChange: (text) => {
      // Parsing a large document on every keystroke is wasteful; settle first.
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        const out = evaluateText(text, p.language);
        setState(out);
        setOutput(out);
        emit('change', out);
      }, 250);
    },
    onSave: save,
  });

  return (
    <div>
      <Flex justify="space-between" align="center" style={{ marginBottom: 4 }}>
        <Typography.Text strong>{p.title}</Typography.Text>
        {p.hideSave ? null : (
          <Button type="primary" size="small" disabled={p.validate && !state.valid} onClick={() => save(view.current?.state.doc.toString() ?? state.text)}>
            {p.saveText}
          </Button>
        )}
      </Flex>
      <div ref={ref} style={{ height: p.height, overflow: 'auto' }} data-testid="code-editor" />
      {p.validate && !state.valid ? (
        <Alert style={{ marginTop: 4 }} type="error" showIcon title={`${t(p.language === 'json' ? 'Invalid JSON' : 'Invalid YAML')}: ${state.error}`} />
      ) : null}
    </div>
  );
}
