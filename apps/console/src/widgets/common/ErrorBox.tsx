import { Alert } from 'antd';

/** Inline error inside a widget (bad data, bad template); the page around it keeps working. */
export function ErrorBox({ message, title }: { message: string; title?: string }) {
  return <Alert type="error" showIcon title={title ?? message} description={title ? message : undefined} />;
}
