// Types of the React bindings (react.js). React 18 or later is a peer dependency.
import type { ReactNode } from 'react';
import type { Query, QueryState, Row, Undercurrent } from './undercurrent.js';

export interface UndercurrentProviderProps {
  client: Undercurrent;
  children?: ReactNode;
}

/** Makes `client` the one useLiveQuery uses in everything below. */
export declare function UndercurrentProvider(props: UndercurrentProviderProps): ReactNode;

/** The client of the nearest UndercurrentProvider, or null. */
export declare function useUndercurrent(): Undercurrent | null;

export interface UseLiveQueryOptions {
  /** A client to use instead of the provider's. */
  client?: Undercurrent;
}

/**
 * Subscribes to `query` while the component is mounted and renders again on every change.
 * The query is compared by value, so an object literal written in the render is fine; `null` or
 * `undefined` subscribes to nothing (status `loading`, no rows). Unmounting unsubscribes.
 */
export declare function useLiveQuery<R extends Row = Row>(
  query: Query | null | undefined,
  options?: UseLiveQueryOptions,
): QueryState<R>;
