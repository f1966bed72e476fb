// Looking a name that came from a request up in a table of our own: `name in table` and
// `table[name]` also find what every object inherits (constructor, toString, __proto__), which
// turned `/console/accounts/:id/constructor` into a 500. Only the table's own entries count here.

export function own<T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}

export function isOwnKey<K extends string>(table: Readonly<Record<K, unknown>>, key: unknown): key is K {
  return typeof key === 'string' && Object.hasOwn(table, key);
}
