// The content model: l2-normalised TF-IDF item vectors (rows and columns) over a term vocabulary, and how profiles decay.
import type {IdVocab} from '../../features/vocab.js'
import {transposeSparse} from '../../kernels/sparse-dot.js'
import type {SparseRows, TfidfVocabulary} from './tfidf.js'

export const DAY_MS = 86_400_000

/** Term rows 1..V of `vocab` (0 unused); item rows of `items` (0, the out-of-vocabulary item, empty). */
export interface ContentModel {
  items: IdVocab
  vocab: TfidfVocabulary
  /** [items.size] item vectors, each of norm 1 (or empty). */
  rows: SparseRows
  /** The same matrix by term (CSC): which items hold term t, for scoring a profile against all items. */
  columns: {offsets: Int32Array; rows: Int32Array; values: Float32Array}
  /** A profile weight halves per this many ms before the user's newest positive; 0: no decay. */
  halfLifeMs: number
}

export function createContentModel(items: IdVocab, vocab: TfidfVocabulary, rows: SparseRows, halfLifeDays: number): ContentModel {
  const nTerms = vocab.terms.length + 1
  return {items, vocab, rows, columns: transposeSparse(rows.offsets, rows.terms, rows.values, nTerms), halfLifeMs: halfLifeDays * DAY_MS}
}

/** Number of term rows, the OOV row 0 included. */
export const termRows = (model: ContentModel): number => model.vocab.terms.length + 1
