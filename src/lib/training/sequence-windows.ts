// Training windows of a sequence encoder: each user's train history cut into windows of L next-item targets.
import type {UserHistory} from '../features/history.js'

export interface SequenceWindows {
  /** [W] user row of each window. */
  user: Int32Array
  /** [W] end (exclusive) of the window's targets in `history`; its inputs end one item earlier. */
  end: Int32Array
  /** Next-item targets over all windows: every train item but each user's first. */
  targets: number
  history: UserHistory
}

/**
 * Windows ending at the user's last train item, then L items earlier, and so on: window e has
 * targets items [e - L, e) and inputs items [e - L - 1, e - 1) (right-aligned, PAD before the first
 * item), so position l's input is the item just before its target. Every train item except the
 * user's first is a target exactly once per epoch, with up to L items of context (the first
 * positions of an earlier window see less than L: the price of one forward per window).
 * The same-timestamp order is the dataset's (time, then row), as in the history itself.
 */
export function buildSequenceWindows(history: UserHistory, length: number): SequenceWindows {
  const users: number[] = []
  const ends: number[] = []
  let targets = 0
  for (let u = 0; u + 1 < history.offsets.length; u++) {
    const start = history.offsets[u]
    for (let e = history.offsets[u + 1]; e - 1 > start; e -= length) {
      users.push(u)
      ends.push(e)
      targets += e - Math.max(e - length, start + 1)
    }
  }
  return {user: Int32Array.from(users), end: Int32Array.from(ends), targets, history}
}
