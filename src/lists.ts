/** Appends v to the list under k, creating it (in place: a spread per row would copy the list every time). */
export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
