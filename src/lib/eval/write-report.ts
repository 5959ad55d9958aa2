// --out DIR: report.json and report.html written together, atomically (the directory appears whole or not at all).
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {writeDirAtomic} from '../io/atomic.js'
import {renderReportHtml} from './html-report.js'
import type {EvalReport} from './report-schema.js'

export async function writeReportDir(out: string, report: EvalReport, options: {force?: boolean} = {}): Promise<{json: string; html: string}> {
  await writeDirAtomic(out, options.force ?? false, async (dir) => {
    await writeFile(join(dir, 'report.json'), JSON.stringify(report, null, 2) + '\n')
    await writeFile(join(dir, 'report.html'), renderReportHtml(report))
  })
  return {json: join(out, 'report.json'), html: join(out, 'report.html')}
}
