// Name validation with kube-apiserver's exact messages (k8s.io/apimachinery/pkg/util/validation).

import type { StatusCause } from './status.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export type NameRule = 'subdomain' | 'label' | 'dns1035';

/** Which rule a kind's metadata.name follows. */
export function nameRule(kind: string): NameRule {
  if (kind === 'Service') return 'dns1035';
  if (kind === 'Namespace') return 'label';
  return 'subdomain';
}

function cause(field: string, value: string, detail: string): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, field };
}

export function validateName(name: string, rule: NameRule, field = 'metadata.name'): StatusCause[] {
  const out: StatusCause[] = [];
  if (rule === 'subdomain') {
    if (name.length > 253) out.push(cause(field, name, 'must be no more than 253 characters'));
    if (!DNS1123_SUBDOMAIN.test(name))
      out.push(
        cause(
          field,
          name,
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ),
      );
  } else if (rule === 'label') {
    if (name.length > 63) out.push(cause(field, name, 'must be no more than 63 characters'));
    if (!DNS1123_LABEL.test(name))
      out.push(
        cause(
          field,
          name,
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ),
      );
  } else {
    if (name.length > 63) out.push(cause(field, name, 'must be no more than 63 characters'));
    if (!DNS1035_LABEL.test(name))
      out.push(
        cause(
          field,
          name,
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        ),
      );
  }
  return out;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** metadata.labels keys and values, as ValidateLabels does. */
export function validateLabels(labels: unknown, field = 'metadata.labels'): StatusCause[] {
  const out: StatusCause[] = [];
  if (labels === undefined || labels === null) return out;
  if (typeof labels !== 'object' || Array.isArray(labels)) {
    return [{ reason: 'FieldValueInvalid', message: 'Invalid value: must be a map of strings', field }];
  }
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    const slash = k.lastIndexOf('/');
    const prefix = slash >= 0 ? k.slice(0, slash) : '';
    const nm = slash >= 0 ? k.slice(slash + 1) : k;
    if ((prefix && !DNS1123_SUBDOMAIN.test(prefix)) || nm.length > 63 || !QUALIFIED_NAME.test(nm)) {
      out.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(k)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
        field,
      });
    }
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
      out.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(v)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
        field: `${field}`,
      });
    }
  }
  return out;
}
