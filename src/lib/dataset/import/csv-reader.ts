// RFC 4180 records from a delimited text file: quoted fields, "" escapes, newlines inside quotes.
import type {Reporter} from '../../reporter.js'
import {readLines} from './line-reader.js'
import {inputError} from './location.js'

type Split = {fields: string[]} | {open: true} | {error: string}

/** Splits one record; `{open}` when a quoted field is still open at the end of the text. */
export function splitCsvRecord(text: string, delimiter: string): Split {
  if (!text.includes('"')) return {fields: text.split(delimiter)}
  const fields: string[] = []
  let i = 0
  for (;;) {
    if (text[i] === '"') {
      let value = ''
      let j = i + 1
      for (;;) {
        const close = text.indexOf('"', j)
        if (close === -1) return {open: true}
        value += text.slice(j, close)
        if (text[close + 1] === '"') {
          value += '"'
          j = close + 2
          continue
        }
        i = close + 1
        break
      }
      fields.push(value)
      if (i === text.length) return {fields}
      if (text[i] !== delimiter) return {error: `unexpected ${JSON.stringify(text[i])} after the closing quote of field ${fields.length}`}
      i++
      if (i === text.length) return {fields: [...fields, '']}
    } else {
      const next = text.indexOf(delimiter, i)
      const field = text.slice(i, next === -1 ? undefined : next)
      if (field.includes('"')) return {error: `a quote inside unquoted field ${fields.length + 1} (quote the whole field and double inner quotes)`}
      fields.push(field)
      if (next === -1) return {fields}
      i = next + 1
    }
  }
}

/**
 * Calls `visit(fields, lineNo)` per record (the header is the first), where lineNo is the line the
 * record starts on. Blank lines between records are skipped.
 */
export async function readCsvRecords(
  path: string,
  options: {delimiter: string; reporter?: Reporter},
  visit: (fields: string[], lineNo: number) => void,
): Promise<void> {
  let pending: string | undefined
  let startLine = 0
  await readLines(path, {encoding: 'utf8', reporter: options.reporter, label: `read ${path}`}, (line, lineNo) => {
    if (pending === undefined) {
      if (line.trim() === '') return
      startLine = lineNo
    }
    const text = pending === undefined ? line : `${pending}\n${line}`
    const result = splitCsvRecord(text, options.delimiter)
    if ('open' in result) {
      pending = text
      return
    }
    pending = undefined
    if ('error' in result) throw inputError(path, 'line', startLine, result.error)
    visit(result.fields, startLine)
  })
  if (pending !== undefined) throw inputError(path, 'line', startLine, 'a quoted field is never closed')
}
