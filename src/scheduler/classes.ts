// Class identifiers: a pod's or node's scheduling view, serialised, becomes a small integer, so that the
// scheduler's answer caches hash numbers instead of long strings. The table is an intern pool: equal views
// get equal ids for the life of the process, whichever cluster asks.

const ids = new Map<string, number>();

/** At most this many classes of pods (and of nodes) are told apart; beyond it ids would collide. */
export const MAX_CLASSES = 2 ** 26;

export function classId(key: string): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = ids.size % MAX_CLASSES;
    ids.set(key, id);
  }
  return id;
}
