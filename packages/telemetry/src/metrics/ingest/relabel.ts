// Prometheus relabelling, the basic actions: keep, drop, replace (and labelmap/labeldrop/labelkeep,
// which cost nothing more). Regexes are fully anchored as in Prometheus.
import { InputError } from '@sreworks/kernel';
import type { Labels } from '@sreworks/promql';

export interface RelabelConfig {
  action?: 'replace' | 'keep' | 'drop' | 'labelmap' | 'labeldrop' | 'labelkeep';
  source_labels?: string[];
  separator?: string;
  regex?: string;
  target_label?: string;
  replacement?: string;
}

interface Compiled {
  cfg: RelabelConfig;
  re: RegExp;
}

export function compileRelabel(cfgs: RelabelConfig[], field: string): Compiled[] {
  return cfgs.map((cfg, i) => {
    const action = cfg.action ?? 'replace';
    if (action === 'replace' && !cfg.target_label) throw new InputError('replace needs target_label', { field: `${field}[${i}].target_label` }, 'TELEMETRY_RELABEL_INVALID');
    try {
      return { cfg: { ...cfg, action }, re: new RegExp(`^(?:${cfg.regex ?? '(.*)'})$`) };
    } catch (e) {
      throw new InputError(`${field}[${i}].regex: invalid regex ${JSON.stringify(cfg.regex)}`, { field: `${field}[${i}].regex` }, 'TELEMETRY_RELABEL_INVALID', e);
    }
  });
}

/** Applies the rules; undefined means the target or series is dropped. */
export function relabel(labels: Labels, rules: Compiled[]): Labels | undefined {
  let l: Labels = { ...labels };
  for (const { cfg, re } of rules) {
    const src = (cfg.source_labels ?? []).map((n) => l[n] ?? '').join(cfg.separator ?? ';');
    switch (cfg.action) {
      case 'keep':
        if (!re.test(src)) return undefined;
        break;
      case 'drop':
        if (re.test(src)) return undefined;
        break;
      case 'replace': {
        const m = re.exec(src);
        if (!m) break;
        const target = expand(cfg.target_label!, m);
        const value = expand(cfg.replacement ?? '$1', m);
        if (value === '') delete l[target];
        else l[target] = value;
        break;
      }
      case 'labelmap':
        for (const [k, v] of Object.entries(l)) {
          const m = re.exec(k);
          if (m) l[expand(cfg.replacement ?? '$1', m)] = v;
        }
        break;
      case 'labeldrop':
        l = Object.fromEntries(Object.entries(l).filter(([k]) => !re.test(k)));
        break;
      case 'labelkeep':
        l = Object.fromEntries(Object.entries(l).filter(([k]) => re.test(k)));
        break;
    }
  }
  return l;
}

function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\d+)|\$\{(\d+)\}/g, (_, a, b) => m[Number(a ?? b)] ?? '');
}
