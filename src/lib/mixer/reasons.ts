// Human reasons for a recommendation: who, which topic, or which liked item it resembles.
import type {ServingWorld} from './world.js'

export function itemLabel(world: ServingWorld, row: number): string {
  const title = world.title?.[row]
  return title ? `"${title}"` : `item ${world.items.id(row) ?? '?'}`
}

export function topicOf(world: ServingWorld, row: number): string | undefined {
  const code = world.topic?.[row] ?? -1
  return code >= 0 ? world.topicNames[code] : undefined
}

/** "similar to X you liked": X is the one of the last 20 history items whose embedding is closest to `row`. */
export function similarReason(world: ServingWorld, history: Int32Array, row: number): string {
  const dim = world.dim
  let best = -1
  let bestScore = -Infinity
  for (let h = Math.max(0, history.length - 20); h < history.length; h++) {
    let dot = 0
    for (let j = 0; j < dim; j++) dot += world.itemVectors[history[h] * dim + j] * world.itemVectors[row * dim + j]
    if (dot > bestScore) {
      bestScore = dot
      best = history[h]
    }
  }
  return best > 0 ? `similar to ${itemLabel(world, best)} you liked` : 'picked for you'
}
