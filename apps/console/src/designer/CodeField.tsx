// A code field: CodeMirror loaded on first use (never from a CDN: it is a chunk of this build).
// The signature line above the editor is the type hint of the function's arguments.
import { useEffect, useRef, useState } from 'react';
import { Skeleton, Typography } from 'antd';
import type { EditorHandle, Hint } from './codemirror.js';

export type { Hint };

export interface CodeFieldProps {
  value: string;
  onChange(v: string): void;
  language?: 'js' | 'json';
  hints?: Hint[];
  /** live values behind the hints (e.g. the last response) for property completion. */
  sample?: Record<string, unknown>;
  signature?: string;
  minHeight?: number;
  testId?: string;
}

export function CodeField({ value, onChange, language = 'js', hints, sample, signature, minHeight, testId }: CodeFieldProps) {
  const host = useRef<HTMLDivElement>(null);
  const ed = useRef<EditorHandle>(undefined);
  const [loaded, setLoaded] = useState(false);
  const change = useRef(onChange);
  change.current = onChange;

  useEffect(() => {
    let live = true;
    void import('./codemirror.js').then((m) => {
      if (!live || !host.current) return;
      ed.current = m.createEditor(host.current, { value, language, hints, sample, minHeight, onChange: (v) => change.current(v) });
      setLoaded(true);
    });
    return () => {
      live = false;
      ed.current?.destroy();
      ed.current = undefined;
    };
  }, [language]);

  // outside changes (undo, another node selected) replace the text
  useEffect(() => {
    const v = ed.current?.view;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);
  useEffect(() => {
    ed.current?.setHints(hints ?? [], sample);
  }, [hints, sample]);

  return (
    <div data-testid={testId} className="sw-code-field">
      {signature && (
        <Typography.Text type="secondary" code style={{ fontSize: 11, display: 'block', marginBottom: 4 }}>
          {signature}
        </Typography.Text>
      )}
      {!loaded && <Skeleton.Input active block />}
      <div ref={host} />
    </div>
  );
}
