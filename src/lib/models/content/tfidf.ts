// TF-IDF: a vocabulary with min/max document frequency and a size cap, smooth idf, (sublinear) tf, l2-normalised sparse rows.

/** Term counts per document as CSR over raw term ids (`names[id]` is the term); counts may be weighted. */
export interface TermCounts {
  offsets: Int32Array // [docs + 1]
  ids: Int32Array
  counts: Float64Array
  names: string[]
}

/** Sparse rows (CSR): row r holds terms[offsets[r]..offsets[r+1]) ascending, with their values. */
export interface SparseRows {
  offsets: Int32Array
  terms: Int32Array
  values: Float32Array
}

export interface VocabularyOptions {
  /** Keep a term found in at least this many documents. */
  minDf: number
  /** Drop a term found in more than this share of the documents. */
  maxDf: number
  /** Keep at most this many terms: the highest document frequency first, ties by term. */
  maxFeatures: number
}

/** Terms sorted (JS string order); term t (0-based) is row t + 1, row 0 the out-of-vocabulary row. */
export interface TfidfVocabulary {
  terms: string[]
  /** [terms + 1] document frequency; row 0 is 0. */
  df: Int32Array
  /** [terms + 1] ln((1 + N) / (1 + df)) + 1; row 0 is 0. */
  idf: Float32Array
  /** N: the documents df was counted over. */
  documents: number
}

/** Smooth idf (as scikit-learn's default): a term in every document still weighs 1, an unseen one is never infinite. */
export function smoothIdf(documents: number, df: number): number {
  return Math.log((1 + documents) / (1 + df)) + 1
}

/** Sublinear tf: 1 + ln(c) from a count of 1 up, linear below (weighted counts under 1), continuous at 1. */
export function sublinearTf(count: number): number {
  return count >= 1 ? 1 + Math.log(count) : count
}

/**
 * Counts each raw term's documents, keeps those within [minDf, maxDf * documents] and at most
 * maxFeatures of them, and sorts the kept ones. Returns the vocabulary and raw id -> row (0: dropped).
 */
export function fitVocabulary(docs: TermCounts, documents: number, options: VocabularyOptions): {vocab: TfidfVocabulary; rowOf: Int32Array} {
  const nRaw = docs.names.length
  const df = new Int32Array(nRaw)
  for (let e = 0; e < docs.ids.length; e++) df[docs.ids[e]]++ // ids are unique within a document
  const maxCount = options.maxDf * documents
  let kept: number[] = []
  for (let t = 0; t < nRaw; t++) if (df[t] >= options.minDf && df[t] <= maxCount) kept.push(t)
  const byName = (a: number, b: number) => (docs.names[a] < docs.names[b] ? -1 : docs.names[a] > docs.names[b] ? 1 : 0)
  if (kept.length > options.maxFeatures) kept = kept.sort((a, b) => df[b] - df[a] || byName(a, b)).slice(0, options.maxFeatures)
  kept.sort(byName)
  const rowOf = new Int32Array(nRaw)
  const vocabDf = new Int32Array(kept.length + 1)
  const idf = new Float32Array(kept.length + 1)
  kept.forEach((t, i) => {
    rowOf[t] = i + 1
    vocabDf[i + 1] = df[t]
    idf[i + 1] = smoothIdf(documents, df[t])
  })
  return {vocab: {terms: kept.map((t) => docs.names[t]), df: vocabDf, idf, documents}, rowOf}
}

/**
 * One l2-normalised row per document: value = tf(count) x idf over the vocabulary's terms (terms
 * outside it dropped), ascending term rows; a document without a kept term is an empty row (the
 * zero vector: it scores 0 against everything).
 */
export function tfidfRows(docs: TermCounts, vocab: TfidfVocabulary, rowOf: Int32Array, sublinear: boolean): SparseRows {
  const nDocs = docs.offsets.length - 1
  const offsets = new Int32Array(nDocs + 1)
  let nnz = 0
  for (let d = 0; d < nDocs; d++) {
    for (let e = docs.offsets[d]; e < docs.offsets[d + 1]; e++) if (rowOf[docs.ids[e]] > 0) nnz++
    offsets[d + 1] = nnz
  }
  const terms = new Int32Array(nnz)
  const values = new Float32Array(nnz)
  const row: {term: number; value: number}[] = []
  for (let d = 0; d < nDocs; d++) {
    row.length = 0
    let norm = 0
    for (let e = docs.offsets[d]; e < docs.offsets[d + 1]; e++) {
      const term = rowOf[docs.ids[e]]
      if (term === 0) continue
      const tf = sublinear ? sublinearTf(docs.counts[e]) : docs.counts[e]
      const value = tf * vocab.idf[term]
      row.push({term, value})
      norm += value * value
    }
    row.sort((a, b) => a.term - b.term)
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0
    row.forEach(({term, value}, k) => {
      terms[offsets[d] + k] = term
      values[offsets[d] + k] = value * scale
    })
  }
  return {offsets, terms, values}
}
