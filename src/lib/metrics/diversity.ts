// Intra-list diversity over item categories: 1 - mean pairwise cosine similarity of category sets.
import {type Csr} from './csr.js'

/**
 * Each item's category set as an indicator vector scaled to unit length, so the cosine similarity
 * of two items is |A n B| / sqrt(|A| |B|) (1 or 0 with one category per item). Sum over pairs of a
 * list = (||sum of vectors||^2 - m) / 2 for m categorised items: O(k x categories), not O(k^2).
 */
export class DiversityScorer {
  private readonly categories: Csr
  private readonly weight: Float64Array
  private readonly acc: Float64Array
  private readonly touched: Int32Array

  /** `categories`: item row -> category ids (non-negative integers); duplicates within an item count once. */
  constructor(categories: Csr) {
    const lists = Array.from({length: categories.offsets.length - 1}, (_, i) => [...new Set(categories.rows.subarray(categories.offsets[i], categories.offsets[i + 1]))])
    const offsets = new Int32Array(lists.length + 1)
    for (let i = 0; i < lists.length; i++) offsets[i + 1] = offsets[i] + lists[i].length
    this.categories = {offsets, rows: Int32Array.from(lists.flat())}
    this.weight = Float64Array.from(lists, (l) => (l.length > 0 ? 1 / Math.sqrt(l.length) : 0))
    let maxCategory = -1
    for (const c of this.categories.rows) maxCategory = Math.max(maxCategory, c)
    this.acc = new Float64Array(maxCategory + 1)
    this.touched = new Int32Array(maxCategory + 1)
  }

  /**
   * 1 - mean cosine similarity over pairs of categorised items in list[start .. start + k), in [0, 1].
   * Items without a category and -1 padding are left out; fewer than 2 categorised items give 0.
   */
  score(list: Int32Array, start: number, k: number): number {
    const {offsets, rows} = this.categories
    let m = 0
    let nTouched = 0
    for (let p = 0; p < k; p++) {
      const item = list[start + p]
      if (item < 0 || offsets[item] === offsets[item + 1]) continue
      m++
      for (let e = offsets[item]; e < offsets[item + 1]; e++) {
        const c = rows[e]
        if (this.acc[c] === 0) this.touched[nTouched++] = c
        this.acc[c] += this.weight[item]
      }
    }
    let squared = 0
    for (let t = 0; t < nTouched; t++) {
      const c = this.touched[t]
      squared += this.acc[c] * this.acc[c]
      this.acc[c] = 0
    }
    if (m < 2) return 0
    const similarity = (squared - m) / (m * (m - 1))
    return Math.min(1, Math.max(0, 1 - similarity))
  }
}
