import { useEffect, useMemo, useRef } from 'react';
import { theme } from 'antd';
import type { EditorView } from '@codemirror/view';
import { createEditor, setEditorValue, type EditorColors, type EditorOptions } from './codemirror.js';

export function useEditorColors(): EditorColors {
  const { token } = theme.useToken();
  return useMemo(() => {
    // antd has no "is dark" flag; a dark container background is the signal.
    const bg = token.colorBgContainer;
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(bg);
    const dark = m ? (parseInt(m[1], 16) + parseInt(m[2], 16) + parseInt(m[3], 16)) / 3 < 128 : false;
    return {
      dark,
      text: token.colorText,
      textSecondary: token.colorTextTertiary,
      bg,
      bgSubtle: token.colorFillQuaternary,
      border: token.colorBorder,
      selection: token.controlItemBgActive,
      primary: token.colorPrimary,
      success: token.colorSuccessText,
      warning: token.colorWarningText,
      error: token.colorErrorText,
      info: token.colorInfoText,
      fontFamilyCode: token.fontFamilyCode,
      fontSize: token.fontSizeSM,
    };
  }, [token]);
}

/** Mounts an editor in the returned ref; rebuilt when language, mode or theme change. */
export function useEditor(o: Omit<EditorOptions, 'colors'>) {
  const ref = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const colors = useEditorColors();
  const handlers = useRef({ onChange: o.onChange, onSave: o.onSave });
  handlers.current = { onChange: o.onChange, onSave: o.onSave };
  const valueRef = useRef(o.value);
  valueRef.current = o.value;

  useEffect(() => {
    const v = createEditor(ref.current!, {
      ...o,
      value: valueRef.current,
      colors,
      onChange: (t) => handlers.current.onChange?.(t),
      onSave: (t) => handlers.current.onSave?.(t),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // o.value is applied by the effect below without rebuilding
  }, [o.language, o.readOnly, o.lint, o.wrap, colors]);

  useEffect(() => {
    if (view.current) setEditorValue(view.current, o.value);
  }, [o.value]);

  return { ref, view };
}
