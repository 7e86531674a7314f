// JSON/YAML field text handling (kept out of fields.ts so metas do not pull in the YAML parser).
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** Parse error text of a JSON or YAML field's text, or undefined when it parses. */
export function structuredError(type: 'json' | 'yaml', text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    if (type === 'json') JSON.parse(text);
    else parseYaml(text, { prettyErrors: true });
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

export function toEditText(type: 'json' | 'yaml', v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  return type === 'json' ? JSON.stringify(v, null, 2) : stringifyYaml(v);
}

export function parseStructured(type: 'json' | 'yaml', text: unknown): unknown {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  return type === 'json' ? JSON.parse(text) : parseYaml(text);
}
