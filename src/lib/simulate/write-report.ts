// --out DIR: report.json and report.html, each written to a temp file and renamed into place.
import {join} from 'node:path'

import {writeFileAtomic} from '../io/atomic.js'
import type {SimulationReport} from './report.js'
import {renderSimulationHtml} from './report-html.js'

export async function writeSimulationReport(dir: string, report: SimulationReport): Promise<{json: string; html: string}> {
  const json = join(dir, 'report.json')
  const html = join(dir, 'report.html')
  await writeFileAtomic(json, JSON.stringify(report, null, 2) + '\n')
  await writeFileAtomic(html, renderSimulationHtml(report))
  return {json, html}
}
