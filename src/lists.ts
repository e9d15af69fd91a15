/** Appends v to the list under k, creating it (in place: a spread per row would copy the list every time). */
export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** The value under k, made once (make(k)) the first time k is asked for: work repeated per row, done per distinct key. */
export function cached<K, V>(m: Map<K, V>, k: K, make: (k: K) => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make(k)));
  return v;
}

/**
 * `make` as a function that works each distinct text out once, for texts that repeat on every
 * row or file; at most `max` kept (emptied when full). `keep`: the key stored, e.g. a flat copy
 * of a cell sliced from a chunk's text, which the map would otherwise keep alive.
 */
export function memoText<V>(make: (text: string) => V, max = 10_000, keep: (text: string) => string = (t) => t): (text: string) => V {
  const known = new Map<string, V>();
  return (text) => {
    if (known.has(text)) return known.get(text) as V;
    if (known.size >= max) known.clear();
    const own = keep(text);
    const v = make(own);
    known.set(own, v);
    return v;
  };
}

/** A flat copy of a text: a cell sliced from a chunk's text keeps the whole chunk alive. */
export const flatCopy = (t: string): string => Buffer.from(t, 'utf8').toString('utf8');

/**
 * One string for each distinct text of cells that repeat on every row (ids, names, units), a
 * flat copy: rows kept for the whole run then hold a few hundred strings between them, not a
 * slice (or a copy) each, which every young-generation collection copied until they were old.
 */
export const sharedText = memoText((t) => t, 10_000, flatCopy);
