import { stringify as stringifyYaml } from 'yaml';
import { getPath } from '../common/props.js';
import type { CodeLanguage } from './codemirror.js';

/** Text to show for a value: strings as they are, objects as JSON or YAML per the language. */
export function codeText(content: unknown, language: CodeLanguage): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return language === 'yaml' ? stringifyYaml(content) : JSON.stringify(content, null, 2);
}

export function pickContent(propContent: unknown, data: unknown, field: string | undefined): unknown {
  return propContent ?? (field ? getPath(data, field) : data);
}
