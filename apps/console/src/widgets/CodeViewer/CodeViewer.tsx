import { Flex, Typography } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { ErrorBox } from '../common/ErrorBox.js';
import { useEditor } from '../code/useEditor.js';
import { codeText, pickContent } from '../code/text.js';
import { defaults, type CodeViewerProps } from './meta.js';

export function CodeViewer({ props, data, error }: WidgetRenderProps<CodeViewerProps>) {
  const p = withDefaults(defaults, props);
  const text = codeText(pickContent(p.content, data, p.field), p.language);
  const { ref } = useEditor({ value: text, language: p.language, readOnly: true, lint: false, wrap: p.wrap });
  if (error) return <ErrorBox message={error} />;
  return (
    <div>
      {p.title || p.copyable ? (
        <Flex justify="space-between" align="center" style={{ marginBottom: 4 }}>
          <Typography.Text strong>{p.title}</Typography.Text>
          {p.copyable ? <Typography.Text copyable={{ text }} /> : null}
        </Flex>
      ) : null}
      <div ref={ref} style={{ maxHeight: p.maxHeight, overflow: 'auto' }} data-testid="code-viewer" />
    </div>
  );
}
