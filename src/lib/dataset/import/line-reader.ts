// Streams a text file line by line (utf8 or latin1) with byte-based progress; no whole-file string.
import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'
import {StringDecoder} from 'node:string_decoder'

import {RecError} from '../../errors.js'
import {type Reporter, silentReporter} from '../../reporter.js'

export interface LineReadOptions {
  /** MovieLens files are latin1; CSV files are utf8 (a leading BOM is dropped). */
  encoding?: 'utf8' | 'latin1'
  reporter?: Reporter
  label?: string
}

/** Files below this size (about a second of parsing) get no progress bar, so a quick failure prints one line. */
const PROGRESS_MIN_BYTES = 8 << 20

/** Throws NOT_FOUND for a missing path or a directory, EMPTY for a zero-byte file; returns the size. */
export async function checkInputFile(path: string): Promise<number> {
  let size: number
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new RecError('NOT_FOUND', `${path} is not a file`)
    size = info.size
  } catch (error) {
    if (error instanceof RecError) throw error
    throw new RecError('NOT_FOUND', `file ${path} does not exist or cannot be read`)
  }
  if (size === 0) throw new RecError('EMPTY', `${path} is empty`)
  return size
}

/**
 * Calls `visit(line, lineNo)` for every line, 1-based, without its "\n" or "\r\n"; a final newline
 * does not make an extra empty line. Blank lines are passed on: the caller decides what they mean.
 * An exception from `visit` stops the read and propagates.
 */
export async function readLines(path: string, options: LineReadOptions, visit: (line: string, lineNo: number) => void): Promise<number> {
  const size = await checkInputFile(path)
  const reporter = size >= PROGRESS_MIN_BYTES ? (options.reporter ?? silentReporter) : silentReporter
  const bar = reporter.progress(options.label ?? `read ${path}`, size)
  const decoder = new StringDecoder(options.encoding ?? 'utf8')
  let pending = ''
  let lineNo = 0
  const emit = (line: string) => {
    lineNo++
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1)
    visit(line.endsWith('\r') ? line.slice(0, -1) : line, lineNo)
  }
  try {
    for await (const chunk of createReadStream(path, {highWaterMark: 1 << 20})) {
      const text = pending + decoder.write(chunk as Buffer)
      let start = 0
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        emit(text.slice(start, nl))
        start = nl + 1
      }
      pending = text.slice(start)
      bar.tick((chunk as Buffer).length)
    }
    pending += decoder.end()
    if (pending !== '') emit(pending)
  } finally {
    bar.stop()
  }
  return lineNo
}
