import { Col, Row as AntRow } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { slotItems } from '../common/slots.js';
import { defaults, type RowProps } from './meta.js';

/** Spans for n children: given ones first, the remainder of 24 shared by the rest. */
export function columnSpans(n: number, given: number[]): number[] {
  const fixed = given.slice(0, n);
  const used = fixed.reduce((a, b) => a + b, 0);
  const rest = n - fixed.length;
  const share = rest > 0 ? Math.max(1, Math.floor((24 - Math.min(used, 24)) / rest) || Math.floor(24 / n)) : 0;
  return [...fixed, ...Array.from({ length: rest }, () => share)];
}

export function Row({ props, slots }: WidgetRenderProps<RowProps>) {
  const p = withDefaults(defaults, props);
  const items = slotItems(slots, 'default');
  const spans = columnSpans(items.length, p.spans);
  const bp = p.stackBelow;
  return (
    <AntRow gutter={[p.gutter, p.gutter]} align={p.align} justify={p.justify}>
      {items.map((child, i) => (
        <Col key={i} xs={bp === 'none' ? spans[i] : 24} {...(bp === 'none' ? {} : { [bp]: spans[i] })}>
          {child}
        </Col>
      ))}
    </AntRow>
  );
}
