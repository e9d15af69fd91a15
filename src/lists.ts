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
