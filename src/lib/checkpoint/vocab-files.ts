// vocab/*.parquet of a checkpoint: id vocabularies (row order) and category vocabularies, by name.
import {existsSync} from 'node:fs'
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {getColumn} from '../dataset/columns.js'
import {readParquetFile, writeParquetFile} from '../dataset/parquet.js'
import {RecError} from '../errors.js'
import {CategoryVocab, IdVocab} from '../features/vocab.js'

export interface Vocabularies {
  /** "users" and "items": id of row r+1 at index r. */
  ids: Record<string, IdVocab>
  /** One per embedded feature, named "<table>.<column>" (e.g. "items.topic"). */
  categories: Record<string, CategoryVocab>
}

/** Writes vocab/<name>.ids.parquet (id int64) and vocab/<name>.values.parquet (value utf8). */
export async function writeVocabularies(dir: string, vocabs: Vocabularies): Promise<void> {
  const vocabDir = join(dir, 'vocab')
  for (const [name, vocab] of Object.entries(vocabs.ids)) {
    await writeParquetFile(join(vocabDir, `${name}.ids.parquet`), {id: {type: 'int64', values: vocab.ids}})
  }
  for (const [name, vocab] of Object.entries(vocabs.categories)) {
    await writeParquetFile(join(vocabDir, `${name}.values.parquet`), {value: {type: 'utf8', values: vocab.values}})
  }
}

export async function readVocabularies(dir: string): Promise<Vocabularies> {
  const vocabDir = join(dir, 'vocab')
  if (!existsSync(vocabDir)) throw new RecError('NOT_FOUND', `${vocabDir} is missing: ${dir} is not a complete checkpoint`)
  const out: Vocabularies = {ids: {}, categories: {}}
  for (const file of (await readdir(vocabDir)).sort()) {
    const path = join(vocabDir, file)
    if (file.endsWith('.ids.parquet')) {
      out.ids[file.slice(0, -'.ids.parquet'.length)] = new IdVocab(getColumn(await readParquetFile(path), 'id', 'int64').values)
    } else if (file.endsWith('.values.parquet')) {
      out.categories[file.slice(0, -'.values.parquet'.length)] = new CategoryVocab(getColumn(await readParquetFile(path), 'value', 'utf8').values)
    }
  }
  return out
}
