// Writes a built index as an index directory (manifest.json, ids.parquet, items.f32, items.usearch) atomically.
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {writeParquetFile} from '../dataset/parquet.js'
import {RecError} from '../errors.js'
import {writeDirAtomic} from '../io/atomic.js'
import type {BuiltIndex} from './build-index.js'
import {digestFile, type FileDigest} from './file-digest.js'
import {HnswIndex} from './hnsw-index.js'
import {INDEX_FILES, INDEX_FORMAT, IndexManifestSchema, type IndexManifest} from './manifest.js'

export interface SaveIndexOptions {
  /** The checkpoint the item vectors came from; null when they did not come from one. */
  checkpoint: {path: string; fingerprint: string} | null
  /** Replace an existing directory. */
  force?: boolean
}

/**
 * The directory appears whole or not at all; an existing one is replaced only with `force`.
 * The build time stays out of the manifest (it is in `stats`): the same vectors and seed give the same bytes.
 */
export async function saveIndex(dir: string, built: BuiltIndex, options: SaveIndexOptions): Promise<IndexManifest> {
  const {stats, index, vectors} = built
  return writeDirAtomic(dir, options.force ?? false, async (tmp) => {
    const names: string[] = [INDEX_FILES.vectors, INDEX_FILES.ids]
    // Float32Array bytes are little-endian on every platform Node ships prebuilt binaries for
    await writeFile(join(tmp, INDEX_FILES.vectors), new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength))
    if (stats.kind === 'hnsw') {
      if (!(index.topk instanceof HnswIndex)) throw new RecError('MISMATCH', `build stats say hnsw but the index is ${index.topk.kind}`)
      index.topk.save(join(tmp, INDEX_FILES.hnsw))
      names.push(INDEX_FILES.hnsw)
    }
    await writeParquetFile(join(tmp, INDEX_FILES.ids), {item_id: {type: 'int64', values: index.ids}})
    const files: Record<string, FileDigest> = {}
    for (const name of names.sort()) files[name] = await digestFile(join(tmp, name))
    const manifest = IndexManifestSchema.parse({
      format: INDEX_FORMAT,
      kind: stats.kind,
      metric: stats.metric,
      normalized: stats.normalized,
      dims: stats.dims,
      count: stats.count,
      checkpoint: options.checkpoint,
      hnsw: stats.hnsw,
      recall: stats.recall,
      files,
    } satisfies IndexManifest)
    await writeFile(join(tmp, INDEX_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`)
    return manifest
  })
}
