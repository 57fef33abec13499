import { useEffect, useReducer } from "preact/hooks";

/** A tiny observable state holder: the chat controller writes, components re-render. */
export class Store<S extends object> {
  private readonly listeners = new Set<() => void>();

  constructor(public state: S) {}

  set(patch: Partial<S>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) {
      listener();
    }
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The store's current state, re-rendering the component on every change. */
export function useStore<S extends object>(store: Store<S>): S {
  const [, rerender] = useReducer<number, void>((count) => count + 1, 0);
  useEffect(() => store.subscribe(rerender), [store]);
  return store.state;
}
