// Warm start: copy a retrieval checkpoint's user and item id embeddings into the ranker, row by row through the ids.
import {loadCheckpoint, readCheckpointManifest} from '../../checkpoint/checkpoint-io.js'
import {RecError} from '../../errors.js'
import type {IdVocab} from '../../features/vocab.js'
import type {RankerModel} from '../../models/ranker/model.js'

export interface InitReport {
  /** Per table: rows copied of rows the ranker has (OOV row excluded). */
  tables: Record<string, {copied: number; rows: number}>
}

/** Checks, before any training work, that the retrieval checkpoint exists and its dimension fits. */
export async function checkRetrievalInit(dir: string, dim: number): Promise<void> {
  const manifest = await readCheckpointManifest(dir, 'retrieval')
  const retrievalDim = manifest.config.dim
  if (retrievalDim !== dim) {
    throw new RecError('MISMATCH', `--init-from-retrieval ${dir} has embeddings of dim ${String(retrievalDim)}, the ranker's dim is ${dim}`, {hint: `pass --dim ${String(retrievalDim)}`})
  }
}

/**
 * For every ranker row r >= 1 whose id the retrieval vocabulary knows, copies that id's row of
 * user_id.embedding / item_id.embedding (the OOV row and unknown ids keep their initialisation).
 * A table the checkpoint lacks (a retrieval model without user ids) is skipped.
 */
export async function initFromRetrieval(model: RankerModel, dir: string, vocabs: {users: IdVocab; items: IdVocab}): Promise<InitReport> {
  const checkpoint = await loadCheckpoint(dir, 'retrieval')
  const report: InitReport = {tables: {}}
  for (const slot of model.slots) {
    if (slot.field) continue
    const name = slot.table.name
    const source = checkpoint.tensors.get(name)
    const sourceVocab = checkpoint.vocabs.ids[slot.side === 'user' ? 'users' : 'items']
    if (!source || !sourceVocab) continue
    if (source.dtype !== 'F32' || source.shape.length !== 2 || source.shape[1] !== model.dim) {
      throw new RecError('MISMATCH', `${dir}: tensor ${name} is ${source.dtype} [${source.shape}], expected F32 [rows, ${model.dim}]`)
    }
    const vocab = slot.side === 'user' ? vocabs.users : vocabs.items
    const d = model.dim
    const data = source.data as Float32Array
    let copied = 0
    for (let r = 1; r < vocab.size; r++) {
      const s = sourceVocab.row(vocab.id(r)!)
      if (s === 0 || s >= source.shape[0]) continue
      slot.table.weights.set(data.subarray(s * d, s * d + d), r * d)
      copied++
    }
    report.tables[name] = {copied, rows: vocab.size - 1}
  }
  return report
}
