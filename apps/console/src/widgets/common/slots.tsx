import { Children, isValidElement, type ReactNode } from 'react';

/** A slot as the runtime passes it: a node, an array of nodes, or nothing. */
export function slot(slots: Record<string, unknown> | undefined, name: string): ReactNode {
  const v = slots?.[name];
  return v === undefined ? null : (v as ReactNode);
}

/** Items of a slot, one per child node (used by Row, Flex and DashboardGrid to place each child). */
export function slotItems(slots: Record<string, unknown> | undefined, name: string): ReactNode[] {
  const v = slots?.[name];
  if (v === undefined || v === null || v === false) return [];
  return Children.toArray(v as ReactNode).filter((c) => isValidElement(c) || typeof c === 'string' || typeof c === 'number');
}
