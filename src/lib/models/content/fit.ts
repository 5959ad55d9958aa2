// Fits the content model to a dataset's items: documents -> vocabulary -> TF-IDF item vectors.
import {join} from 'node:path'

import {getColumn} from '../../dataset/columns.js'
import type {Dataset} from '../../dataset/store.js'
import {IdVocab} from '../../features/vocab.js'
import type {ContentConfig} from './config.js'
import {buildItemDocuments} from './item-documents.js'
import {type ContentModel, createContentModel} from './model.js'
import {fitVocabulary, tfidfRows} from './tfidf.js'

export interface FittedContent {
  model: ContentModel
  textColumns: string[]
  tokenColumns: string[]
  /** Configured columns the items table lacks. */
  missing: string[]
  /** Distinct terms before the df limits and the cap, and item vectors left empty (no kept term). */
  rawTerms: number
  emptyItems: number
}

/**
 * Item rows are the dataset's ids in ascending order (as every checkpoint's). Document frequencies
 * are counted over every item's own text: that is side information, not interactions, so it reads
 * nothing of val or test.
 */
export function fitContent(dataset: Dataset, datasetDir: string, config: ContentConfig): FittedContent {
  const items = IdVocab.fromValues(getColumn(dataset.items, 'item_id', 'int64').values)
  const documents = buildItemDocuments(dataset.items, items, config, join(datasetDir, 'items.parquet'))
  const nDocs = items.size - 1
  const {vocab, rowOf} = fitVocabulary(documents.docs, nDocs, {minDf: config['min-df'], maxDf: config['max-df'], maxFeatures: config['max-features']})
  const rows = tfidfRows(documents.docs, vocab, rowOf, config['sublinear-tf'])
  let emptyItems = 0
  for (let r = 1; r < items.size; r++) if (rows.offsets[r + 1] === rows.offsets[r]) emptyItems++
  return {
    model: createContentModel(items, vocab, rows, config['half-life-days']),
    textColumns: documents.textColumns,
    tokenColumns: documents.tokenColumns,
    missing: documents.missing,
    rawTerms: documents.docs.names.length,
    emptyItems,
  }
}
