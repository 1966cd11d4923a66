// Reads shared by several readers of one run: connect with several client regions reads the API side (the
// API, its stages and methods, the endpoints, the endpoint's VPC and addresses, the API VPC's counts) once
// for all of them, each region's client side for itself. The first reader of a key starts the read; the
// others take its promise.

/** A read under its key: started once, the same answer for every caller. */
export type ReadOnce = <T>(key: string, read: () => Promise<T>) => Promise<T>;

/** A shared memo for one run's readers. */
export function readOnce(): ReadOnce {
  const held = new Map<string, Promise<unknown>>();
  return <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let found = held.get(key) as Promise<T> | undefined;
    if (!found) held.set(key, (found = read()));
    return found;
  };
}

/** No sharing: each read is made (one reader). */
export const readEach: ReadOnce = (_key, read) => read();
