// What ranking evaluation scores with: a callback filling a [users, items] block, shared by models and baselines.
import {RecError} from '../../errors.js'
import {scoreDotBlock} from '../../kernels/dot-block.js'

/** Plain user and item embeddings whose inner products are the scores; a worker thread can rebuild them. */
export interface Embeddings {
  /** [nUsers, dim], row-major. */
  users: Float32Array
  /** [nItems, dim], row-major. */
  items: Float32Array
  dim: number
}

/**
 * Scores every item for a block of users. Contract: `scoreBlock(userRows, out)` writes the score of
 * user userRows[j] for item i at out[j * nItems + i] (out has at least userRows.length * nItems
 * entries); higher is better; scores must not be NaN (NaN is how exclusions are marked downstream).
 * `embeddings` is present when scores are inner products, which lets evaluation split the users
 * over worker threads; a provider without it (popularity, ItemKNN, a tfjs model) runs in-thread.
 */
export interface ScoreProvider {
  readonly nItems: number
  scoreBlock(userRows: Int32Array, out: Float32Array): void
  readonly embeddings?: Embeddings
}

/** Scores = user vector . item vector. Throws on mismatched shapes or non-finite values. */
export function dotScoreProvider(users: Float32Array, items: Float32Array, dim: number): ScoreProvider {
  if (!(Number.isInteger(dim) && dim > 0)) throw new RecError('INVALID_ARGUMENT', `dotScoreProvider: dim must be a positive integer (got ${dim})`)
  if (users.length % dim !== 0) throw new RecError('MISMATCH', `dotScoreProvider: user vectors have ${users.length} values, not a multiple of dim ${dim}`)
  if (items.length % dim !== 0) throw new RecError('MISMATCH', `dotScoreProvider: item vectors have ${items.length} values, not a multiple of dim ${dim}`)
  checkFiniteRows(users, dim, 'user')
  checkFiniteRows(items, dim, 'item')
  const nItems = items.length / dim
  const nUsers = users.length / dim
  return {
    nItems,
    embeddings: {users, items, dim},
    scoreBlock(userRows, out) {
      for (let j = 0; j < userRows.length; j++) {
        const u = userRows[j]
        if (!(u >= 0 && u < nUsers)) throw new RecError('INVALID_ARGUMENT', `dotScoreProvider: user row ${u} is outside [0, ${nUsers})`)
      }
      scoreDotBlock(users, items, dim, userRows, out)
    },
  }
}

function checkFiniteRows(values: Float32Array, dim: number, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RecError('BAD_DATA', `${what} vector row ${Math.floor(i / dim)} has a non-finite value (${values[i]}) at dimension ${i % dim}`)
    }
  }
}
