// Content hash of a checkpoint directory: sha256 over every file, sorted by relative path.
import {createHash, type Hash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {RecError} from '../errors.js'

export interface ContentHash {
  /** "sha256:" + 64 hex digits. */
  hash: string
  files: number
  bytes: number
}

/** Relative paths ("/"-separated) of every file under `dir`; symlinks are followed. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  for (const name of await readdir(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${name}` : name
    const st = await stat(join(dir, rel))
    if (st.isDirectory()) out.push(...(await listFiles(dir, rel)))
    else if (st.isFile()) out.push(rel)
  }
  return out
}

async function feedFile(hash: Hash, path: string): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
}

/**
 * Hashes `dir`: for each file in code-unit order of its relative path, feeds
 * `path \0 size \0 bytes`; the sizes keep two different splits of the same bytes from colliding.
 * The directory's own location is not part of the hash, so a copied checkpoint hashes the same.
 */
export async function hashCheckpointDir(dir: string): Promise<ContentHash> {
  let files: string[]
  try {
    files = await listFiles(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new RecError('NOT_FOUND', `checkpoint directory ${dir} does not exist`, {cause: error})
    throw error
  }
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const hash = createHash('sha256')
  let bytes = 0
  for (const rel of files) {
    const path = join(dir, rel)
    const {size} = await stat(path)
    hash.update(`${rel}\0${size}\0`)
    await feedFile(hash, path)
    bytes += size
  }
  return {hash: `sha256:${hash.digest('hex')}`, files: files.length, bytes}
}
