// Human reasons for a recommendation: who, which topic, or which liked item it resembles.
import {gatherDots} from '../kernels/dot.js'
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
  const recent = history.subarray(Math.max(0, history.length - 20))
  const dots = gatherDots(world.itemVectors.subarray(row * dim, (row + 1) * dim), world.itemVectors, recent, dim)
  let best = -1
  let bestScore = -Infinity
  for (let h = 0; h < recent.length; h++) {
    if (dots[h] > bestScore) {
      bestScore = dots[h]
      best = recent[h]
    }
  }
  return best > 0 ? `similar to ${itemLabel(world, best)} you liked` : 'picked for you'
}
