// Row alignment of embedding tables across checkpoints whose vocabularies differ: anchor row -> input row by id.
import type {SafeTensor} from '../engine/safetensors.js'
import {OOV_ROW} from '../features/vocab.js'
import type {Vocabularies} from './vocab-files.js'

/** The vocabulary a table's rows follow, from its name: "user_id.embedding" -> ids.users, "items.topic.embedding" -> categories["items.topic"]. */
export function tableVocabulary(name: string): {kind: 'ids'; key: string} | {kind: 'categories'; key: string} | undefined {
  const id = /(?:^|\.)(user|item)_id\.embedding$/.exec(name)
  if (id) return {kind: 'ids', key: `${id[1]}s`}
  const category = /(?:^|\.)((?:users|items)\.[^.]+)\.embedding$/.exec(name)
  if (category) return {kind: 'categories', key: category[1]}
  return undefined
}

function vocabRows(vocabs: Vocabularies, ref: NonNullable<ReturnType<typeof tableVocabulary>>): {size: number; keys: (string | bigint)[]} | undefined {
  if (ref.kind === 'ids') {
    const vocab = vocabs.ids[ref.key]
    return vocab && {size: vocab.size, keys: Array.from(vocab.ids)}
  }
  const vocab = vocabs.categories[ref.key]
  return vocab && {size: vocab.size, keys: vocab.values}
}

/**
 * For a [rows, dim] table of the anchor that follows a vocabulary: per anchor row, the row of the
 * same id (or category value) in the input's table, -1 where the input lacks it. The OOV row 0
 * maps to row 0. Undefined when the tensor is not such a table in both checkpoints.
 */
export function alignRows(name: string, anchor: {tensor: SafeTensor; vocabs: Vocabularies}, input: {tensor: SafeTensor; vocabs: Vocabularies}): Int32Array | undefined {
  const ref = tableVocabulary(name)
  if (!ref || anchor.tensor.shape.length !== 2 || input.tensor.shape.length !== 2 || anchor.tensor.shape[1] !== input.tensor.shape[1]) return undefined
  const a = vocabRows(anchor.vocabs, ref)
  const b = vocabRows(input.vocabs, ref)
  if (!a || !b || a.size !== anchor.tensor.shape[0] || b.size !== input.tensor.shape[0]) return undefined
  const rowOf = new Map<string | bigint, number>(b.keys.map((key, i) => [key, i + 1]))
  const out = new Int32Array(a.size).fill(-1)
  out[OOV_ROW] = OOV_ROW
  a.keys.forEach((key, i) => (out[i + 1] = rowOf.get(key) ?? -1))
  return out
}
