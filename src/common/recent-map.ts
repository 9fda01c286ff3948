/**
 * Maps used as small caches of the most recent entries: a Map iterates in insertion order, so
 * the entry inserted longest ago is the first key.
 */

/** Makes `key` the most recent entry of `map`. */
export function touchRecent<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
}

/** Sets `key` as the most recent entry of `map`, first dropping the oldest while `max` remain. */
export function setRecent<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  for (const oldest of map.keys()) {
    if (map.size < max) break;
    map.delete(oldest);
  }
  map.set(key, value);
}
