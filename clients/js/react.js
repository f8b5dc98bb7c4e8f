/*
 * React bindings of the Undercurrent client: a provider for the client and useLiveQuery(query).
 * React (18 or later) is a peer dependency; this module imports it and nothing else. Types: react.d.ts.
 *
 *   const client = new Undercurrent(url, { getToken });
 *   <UndercurrentProvider client={client}><Todos /></UndercurrentProvider>
 *
 *   function Todos() {
 *     const { rows, status, error } = useLiveQuery({ table: 'public.todos', where: { done: { eq: false } } });
 *     ...
 *   }
 */
import { createContext, createElement, useCallback, useContext, useEffect, useState, useSyncExternalStore } from 'react';

const ClientContext = createContext(null);

/** While there is no query (null) or its subscription is being made. */
const PENDING = Object.freeze({ rows: Object.freeze([]), status: 'loading', error: undefined });
const NO_SUBSCRIPTION = () => () => {};

/** Makes `client` the one useLiveQuery uses in everything below. */
export function UndercurrentProvider({ client, children }) {
  return createElement(ClientContext.Provider, { value: client }, children);
}

/** The client of the nearest UndercurrentProvider, or null. */
export function useUndercurrent() {
  return useContext(ClientContext);
}

/**
 * Subscribes to a live query while the component is mounted; returns { rows, status, error } and
 * renders again on every change. The query is compared by value (JSON), so an object literal
 * written in the render does not subscribe again; a different query does. null subscribes to nothing.
 */
export function useLiveQuery(query, options = {}) {
  const fromContext = useContext(ClientContext);
  const client = options.client || fromContext;
  if (!client) throw new Error('useLiveQuery needs a client: render inside <UndercurrentProvider client={...}>, or pass { client }');
  const key = query == null ? null : JSON.stringify(query);
  const [current, setCurrent] = useState(null); // { client, key, live }

  useEffect(() => {
    if (key === null) return undefined;
    const live = client.subscribe(JSON.parse(key));
    setCurrent({ client, key, live });
    return () => live.unsubscribe();
  }, [client, key]);

  // Until the effect has subscribed to this query, the previous query's rows must not show.
  const live = current && current.client === client && current.key === key ? current.live : null;
  const subscribe = useCallback((onChange) => live.onUpdate(onChange), [live]);
  const getState = useCallback(() => live.state, [live]);
  const none = useCallback(() => PENDING, []);
  return useSyncExternalStore(live ? subscribe : NO_SUBSCRIPTION, live ? getState : none, live ? getState : none);
}
