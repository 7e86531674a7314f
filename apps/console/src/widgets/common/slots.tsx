import { Children, isValidElement, type ReactElement, type ReactNode } from 'react';
import { Space } from 'antd';

/** A slot as the runtime passes it: a node, an array of nodes, or nothing. */
export function slot(slots: Record<string, unknown> | undefined, name: string): ReactNode {
  const v = slots?.[name];
  return v === undefined ? null : (v as ReactNode);
}

/** Items of a slot, one per child node (used by Row, Flex and DashboardGrid to place each child). */
export function slotItems(slots: Record<string, unknown> | undefined, name: string): ReactNode[] {
  let v = slots?.[name];
  if (v === undefined || v === null || v === false) return [];
  // The page runtime stacks a slot's nodes in one vertical antd Space; layout containers place
  // each node themselves, so they take the Space's children.
  if (isValidElement(v) && v.type === Space) v = (v as ReactElement<{ children?: ReactNode }>).props.children;
  return Children.toArray(v as ReactNode).filter((c) => isValidElement(c) || typeof c === 'string' || typeof c === 'number');
}
