// Item-item cosine similarity over co-occurrence in users' histories, truncated to each item's top neighbours.
import {RecError} from '../../errors.js'
import type {UserHistory} from '../../features/history.js'

/**
 * CSR over item rows: item j's neighbours are rows[offsets[j] .. offsets[j + 1]) with similarity
 * sims[...], best first (ties to the smaller row), at most `maxNeighbours` each, never j itself.
 */
export interface ItemNeighbours {
  nItems: number
  maxNeighbours: number
  offsets: Int32Array
  rows: Int32Array
  sims: Float32Array
}

/**
 * sim(i, j) = |U_i n U_j| / sqrt(|U_i| |U_j|), U_i = the users with item i in their history
 * (repeats counted once; row 0, the OOV item, ignored). Cost: sum over users of |history|^2
 * accumulations (about 2e7 for MovieLens-100K) and one nItems-sized scratch array.
 */
export function buildItemNeighbours(history: UserHistory, nItems: number, maxNeighbours: number): ItemNeighbours {
  if (!(Number.isInteger(maxNeighbours) && maxNeighbours >= 1)) throw new RecError('INVALID_ARGUMENT', `neighbours must be a positive integer (got ${maxNeighbours})`)
  const byUser = distinctItemsPerUser(history, nItems)
  const byItem = invert(byUser, nItems)
  const degree = Int32Array.from({length: nItems}, (_, i) => byItem.offsets[i + 1] - byItem.offsets[i])
  const offsets = new Int32Array(nItems + 1)
  const rows: number[] = []
  const sims: number[] = []
  const acc = new Float64Array(nItems)
  const touched = new Int32Array(nItems)
  for (let j = 1; j < nItems; j++) {
    let nTouched = 0
    for (let e = byItem.offsets[j]; e < byItem.offsets[j + 1]; e++) {
      const u = byItem.rows[e]
      for (let f = byUser.offsets[u]; f < byUser.offsets[u + 1]; f++) {
        const i = byUser.rows[f]
        if (i === j) continue
        if (acc[i] === 0) touched[nTouched++] = i
        acc[i]++
      }
    }
    const candidates = Array.from(touched.subarray(0, nTouched), (i) => ({i, sim: acc[i] / Math.sqrt(degree[i] * degree[j])}))
    for (const {i} of candidates) acc[i] = 0
    candidates.sort((a, b) => b.sim - a.sim || a.i - b.i)
    for (const {i, sim} of candidates.slice(0, maxNeighbours)) {
      rows.push(i)
      sims.push(sim)
    }
    offsets[j + 1] = rows.length
  }
  return {nItems, maxNeighbours, offsets, rows: Int32Array.from(rows), sims: Float32Array.from(sims)}
}

/** Each user's distinct history items (OOV row 0 left out), CSR over user rows. */
function distinctItemsPerUser(history: UserHistory, nItems: number): {offsets: Int32Array; rows: Int32Array} {
  const nUsers = history.offsets.length - 1
  const stamp = new Int32Array(nItems).fill(-1)
  const offsets = new Int32Array(nUsers + 1)
  const rows: number[] = []
  for (let u = 0; u < nUsers; u++) {
    for (let e = history.offsets[u]; e < history.offsets[u + 1]; e++) {
      const item = history.items[e]
      if (item === 0 || stamp[item] === u) continue
      if (!(item > 0 && item < nItems)) throw new RecError('BAD_DATA', `history item row ${item} of user row ${u} is outside [0, ${nItems})`)
      stamp[item] = u
      rows.push(item)
    }
    offsets[u + 1] = rows.length
  }
  return {offsets, rows: Int32Array.from(rows)}
}

function invert(byUser: {offsets: Int32Array; rows: Int32Array}, nItems: number): {offsets: Int32Array; rows: Int32Array} {
  const offsets = new Int32Array(nItems + 1)
  for (const item of byUser.rows) offsets[item + 1]++
  for (let i = 0; i < nItems; i++) offsets[i + 1] += offsets[i]
  const cursor = offsets.slice(0, nItems)
  const rows = new Int32Array(byUser.rows.length)
  for (let u = 0; u + 1 < byUser.offsets.length; u++) {
    for (let e = byUser.offsets[u]; e < byUser.offsets[u + 1]; e++) rows[cursor[byUser.rows[e]]++] = u
  }
  return {offsets, rows}
}
