// The content checkpoint (kind "content"): item vectors as CSR tensors in weights.safetensors, terms as a vocabulary file.
//
// ckpt/
//   manifest.json              kind "content", arch "tfidf", config (resolved, plus the columns used), dataset
//                              fingerprint, val metrics
//   weights.safetensors        items.offsets  I32 [items + 1]  CSR row pointers over item rows (row 0 = OOV, empty)
//                              items.terms    I32 [nnz]        term row of each non-zero (ascending within an item)
//                              items.values   F32 [nnz]        tf x idf, each item row of l2 norm 1
//                              terms.df       I32 [terms + 1]  document frequency (row 0 = OOV, 0)
//                              terms.idf      F32 [terms + 1]  ln((1 + N) / (1 + df)) + 1
//                              terms.documents I32 [1]         N, the items df was counted over
//   vocab/items.ids.parquet    item row r + 1 -> item_id (as every checkpoint), vocab/users.ids.parquet likewise
//   vocab/content.terms.values.parquet   term row r + 1 -> the term ("word" or "column=value")
// In PyTorch: torch.sparse_csr_tensor(items.offsets, items.terms, items.values, size=(items + 1, terms + 1)).
import {loadCheckpoint, requireTensor, type Checkpoint} from '../../checkpoint/checkpoint-io.js'
import type {Vocabularies} from '../../checkpoint/vocab-files.js'
import type {SafeTensor} from '../../engine/safetensors.js'
import {RecError} from '../../errors.js'
import {CategoryVocab, type IdVocab} from '../../features/vocab.js'
import {type ContentConfig, ContentConfigSchema} from './config.js'
import {type ContentModel, createContentModel} from './model.js'

export const CONTENT_TERMS = 'content.terms'
export const CONTENT_ARCH = 'tfidf'

/** The tensors of the layout above. */
export function contentTensors(model: ContentModel): Map<string, SafeTensor> {
  const {rows, vocab} = model
  const v = vocab.terms.length + 1
  return new Map<string, SafeTensor>([
    ['items.offsets', {dtype: 'I32', shape: [rows.offsets.length], data: rows.offsets}],
    ['items.terms', {dtype: 'I32', shape: [rows.terms.length], data: rows.terms}],
    ['items.values', {dtype: 'F32', shape: [rows.values.length], data: rows.values}],
    ['terms.df', {dtype: 'I32', shape: [v], data: vocab.df}],
    ['terms.idf', {dtype: 'F32', shape: [v], data: vocab.idf}],
    ['terms.documents', {dtype: 'I32', shape: [1], data: Int32Array.of(vocab.documents)}],
  ])
}

export function contentVocabularies(model: ContentModel, users: IdVocab): Vocabularies {
  return {ids: {users, items: model.items}, categories: {[CONTENT_TERMS]: new CategoryVocab(model.vocab.terms)}}
}

function requireInts(checkpoint: Checkpoint, name: string, shape: number[]): Int32Array {
  const tensor = checkpoint.tensors.get(name)
  if (!tensor || tensor.dtype !== 'I32' || tensor.shape.join(',') !== shape.join(',')) {
    throw new RecError('MISMATCH', `${checkpoint.dir}: tensor ${name} is ${tensor ? `${tensor.dtype} [${tensor.shape}]` : 'missing'}, expected I32 [${shape}]`)
  }
  return tensor.data as Int32Array
}

/** The config keys of a content manifest (it also records the columns it used, which are not config keys). */
export function contentConfigOf(checkpoint: Pick<Checkpoint, 'dir' | 'manifest'>): ContentConfig {
  const {columns: _columns, ...rest} = checkpoint.manifest.config as Record<string, unknown>
  const parsed = ContentConfigSchema.safeParse(rest)
  if (!parsed.success) throw new RecError('BAD_SCHEMA', `${checkpoint.dir}/manifest.json: config key "${parsed.error.issues[0].path.join('.')}": ${parsed.error.issues[0].message}`)
  return parsed.data
}

/** Loads a content checkpoint and checks the CSR arrays against each other (sizes, term rows in range). */
export async function loadContentModel(dir: string): Promise<{model: ContentModel; checkpoint: Checkpoint; config: ContentConfig}> {
  const checkpoint = await loadCheckpoint(dir, 'content')
  const config = contentConfigOf(checkpoint)
  const items = checkpoint.vocabs.ids.items
  const terms = checkpoint.vocabs.categories[CONTENT_TERMS]
  if (!items || !terms) throw new RecError('BAD_SCHEMA', `${dir}: vocab/items.ids.parquet or vocab/${CONTENT_TERMS}.values.parquet is missing`)
  const v = terms.size
  const offsets = requireInts(checkpoint, 'items.offsets', [items.size + 1])
  const nnz = offsets[items.size]
  const rowTerms = requireInts(checkpoint, 'items.terms', [nnz])
  const values = requireTensor(checkpoint, 'items.values', [nnz])
  for (let r = 0; r < items.size; r++) if (offsets[r + 1] < offsets[r]) throw new RecError('BAD_DATA', `${dir}: items.offsets decreases at row ${r}`)
  for (let e = 0; e < nnz; e++) if (!(rowTerms[e] > 0 && rowTerms[e] < v)) throw new RecError('BAD_DATA', `${dir}: items.terms[${e}] = ${rowTerms[e]} is outside term rows 1..${v - 1}`)
  const vocab = {
    terms: terms.values,
    df: requireInts(checkpoint, 'terms.df', [v]),
    idf: requireTensor(checkpoint, 'terms.idf', [v]),
    documents: requireInts(checkpoint, 'terms.documents', [1])[0],
  }
  return {model: createContentModel(items, vocab, {offsets, terms: rowTerms, values}, config['half-life-days']), checkpoint, config}
}
