import { useMemo } from 'react';
import { withDefaults, type WithDefaults } from './props.js';

/**
 * withDefaults, kept stable while the props' content is unchanged: the runtime may hand over equal
 * but new objects on each render, and charts would otherwise rebuild and redraw every time.
 */
export function useProps<D extends object, P extends object>(defaults: D, props: P | undefined): WithDefaults<D, P> {
  const key = JSON.stringify(props ?? null);
  return useMemo(() => withDefaults(defaults, props), [defaults, key]);
}
