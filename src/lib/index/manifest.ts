// manifest.json of an index directory (ARCHITECTURE section 3), parsed once with zod.
import {z} from 'zod'

import {HNSW_QUANTIZATIONS} from './hnsw-params.js'

export const INDEX_FORMAT = 'rec-index/1'

/** Fixed file names inside an index directory. */
export const INDEX_FILES = {
  manifest: 'manifest.json',
  /** HNSW graph with its own copy of the vectors (usearch format); hnsw only. */
  hnsw: 'items.usearch',
  /** The indexed vectors [count, dims], float32 little-endian, no header; both kinds. */
  vectors: 'items.f32',
  /** One int64 column item_id; row i of the file is row i of the index. */
  ids: 'ids.parquet',
} as const

const positiveInt = z.number().int().positive()

/** Size and SHA-256 of each data file, checked on load: usearch crashes the process on a corrupt file instead of failing. */
const FileDigestSchema = z.object({bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/)})

export const IndexManifestSchema = z.object({
  format: z.literal(INDEX_FORMAT),
  kind: z.enum(['exact', 'hnsw']),
  /** Scores are inner products; with `normalized` they are cosines of the item vectors with the query. */
  metric: z.literal('ip'),
  normalized: z.boolean(),
  dims: positiveInt,
  count: positiveInt,
  /** The checkpoint whose item embeddings were indexed, as given by the caller. */
  checkpoint: z.object({path: z.string(), fingerprint: z.string()}).nullable(),
  /** null for exact indexes. */
  hnsw: z
    .object({
      connectivity: positiveInt,
      expansionAdd: positiveInt,
      expansionSearch: positiveInt,
      /** Scalar type of the graph's vectors; indexes written before it existed are f32. */
      quantization: z.enum(HNSW_QUANTIZATIONS).default('f32'),
      /** Insertion threads; 1 means items.usearch is reproducible byte for byte from the same vectors and seed. */
      threads: positiveInt,
      seed: z.number().int(),
    })
    .nullable(),
  /** null when no queries were given at build time; an exact index has recall 1 by construction. */
  recall: z
    .object({
      k: positiveInt,
      value: z.number().min(0).max(1),
      queries: z.number().int().nonnegative(),
      /** How the queries were chosen, e.g. "1000 val users sampled with seed 7", or "exact index". */
      measuredOn: z.string(),
    })
    .nullable(),
  /** By file name: every data file in the directory. */
  files: z.record(z.string(), FileDigestSchema),
})
export type IndexManifest = z.infer<typeof IndexManifestSchema>
