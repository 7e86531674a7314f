import { Grid } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { withDefaults } from '../common/props.js';
import { slot, slotItems } from '../common/slots.js';
import { defaults, type DashboardGridProps } from './meta.js';

export function DashboardGrid({ props, slots }: WidgetRenderProps<DashboardGridProps>) {
  const p = withDefaults(defaults, props);
  const screens = Grid.useBreakpoint();
  const stacked = p.stackOnMobile && screens.md === false;
  const cols = Math.max(1, p.columns);
  const flowing = slotItems(slots, 'default');
  return (
    <div
      style={{
        display: 'grid',
        gridTemplateColumns: stacked ? '1fr' : `repeat(${cols}, minmax(0, 1fr))`,
        gridAutoRows: p.rowHeight,
        gap: p.gap,
      }}
    >
      {p.items.map((it) => (
        <div
          key={it.slot}
          data-slot={it.slot}
          style={{
            gridColumn: stacked ? '1 / -1' : `${Math.min(it.x, cols - 1) + 1} / span ${Math.min(it.w, cols - Math.min(it.x, cols - 1))}`,
            gridRow: stacked ? `span ${it.h}` : `${it.y + 1} / span ${it.h}`,
            minWidth: 0,
            overflow: 'auto',
          }}
        >
          {slot(slots, it.slot)}
        </div>
      ))}
      {flowing.map((c, i) => (
        <div key={`flow-${i}`} style={{ gridColumn: stacked ? '1 / -1' : `span ${Math.min(p.defaultW, cols)}`, gridRow: `span ${p.defaultH}`, minWidth: 0, overflow: 'auto' }}>
          {c}
        </div>
      ))}
    </div>
  );
}
