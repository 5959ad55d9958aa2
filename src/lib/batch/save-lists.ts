// rec recommend --state/--store: the lists also saved into a Store, for rec serve --topn store.
import type {Store, TopNList} from '../store/types.js'
import type {TopNColumns} from './top-n-table.js'

/** Users per saveTopN call: one transaction each (SQLite: one fsync per 1,000 users, not per user). */
const USERS_PER_SAVE = 1000

/** Saves every user's list; the newest list per user wins, so a recompute made since is kept. */
export async function saveListsToStore(store: Store, columns: TopNColumns): Promise<void> {
  for (let from = 0; from < columns.userIds.length; from += USERS_PER_SAVE) {
    const lists: TopNList[] = []
    for (let u = from; u < Math.min(from + USERS_PER_SAVE, columns.userIds.length); u++) {
      const items = []
      for (let i = columns.offsets[u]; i < columns.offsets[u + 1]; i++) {
        items.push({itemId: columns.itemIds[i], score: Math.round(columns.scores[i] * 1e6) / 1e6, source: columns.sources[i], reason: columns.reasons[i]})
      }
      lists.push({userId: columns.userIds[u], generatedAt: columns.generatedAt[u], versions: JSON.parse(columns.versions[u]) as Record<string, string>, items})
    }
    await store.saveTopN(lists)
  }
}
