// report.html is self-contained, and headless Chromium renders its three SVG charts offline.
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {beforeAll, describe, expect, it} from 'vitest'

import {summarizeReport} from '../../src/lib/eval/report-summary.js'
import type {EvalReport} from '../../src/lib/eval/report-schema.js'
import {runEval} from '../../src/lib/eval/run-eval.js'
import {writeReportDir} from '../../src/lib/eval/write-report.js'
import {tempDir} from '../helpers/cli.js'
import {randomWorld, writeWorld} from './fixtures.js'

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
let html: string
let report: EvalReport

function chromium(...args: string[]): {status: number | null; stdout: string} {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  const result = spawnSync(CHROMIUM, [...flags, `--user-data-dir=${tempDir('rec-chromium-')}`, ...args], {encoding: 'utf8', timeout: 90_000, maxBuffer: 64 << 20})
  return {status: result.status, stdout: result.stdout}
}

beforeAll(async () => {
  const root = tempDir()
  const dataset = await writeWorld(join(root, 'world'), randomWorld(5))
  report = await runEval({dataset, models: [{kind: 'baseline', name: 'popular'}, {kind: 'baseline', name: 'itemknn'}], split: 'test', ks: [5, 10, 20], protocol: {kind: 'full'}, resamples: 100})
  html = (await writeReportDir(join(root, 'report'), report)).html
})

describe('report summary', () => {
  it('states the winner of the paired comparison on recall and NDCG at the focus K, with the interval', () => {
    const c = report.comparison!
    const at = (low: number, high: number) => {
      const copy = structuredClone(report)
      for (const name of ['recall@10', 'ndcg@10']) Object.assign(copy.comparison!.metrics[name], {delta: (low + high) / 2, ciLow: low, ciHigh: high})
      return summarizeReport(copy)
    }
    expect(c.a).toBe(report.models[0].key)
    expect(at(0.01, 0.03)[0]).toMatch(/^B: itemknn beats A: popular on recall@10 by 0\.02\d* \(.* against .*; 95% CI \[0\.01\d*, 0\.03\d*\]\)\.$/)
    expect(at(-0.03, -0.01)[1]).toMatch(/^B: itemknn trails A: popular on ndcg@10 by 0\.02/)
    expect(at(-0.01, 0.02)[0]).toMatch(/^No clear difference between B: itemknn and A: popular on recall@10: .*includes 0\)\.$/)
  })

  it('without a comparison ranks the models by the headline metric', () => {
    const copy = structuredClone(report)
    copy.comparison = null
    const [line] = summarizeReport(copy)
    const values = copy.models.map((m) => copy.metrics[m.key]['recall@10'] as number)
    const best = copy.models[values.indexOf(Math.max(...values))].label
    expect(line.startsWith(`On the test split, ${best} has the highest recall@10: `)).toBe(true)
  })
})

describe('report.html', () => {
  it('opens with the plain-language summary', () => {
    const text = readFileSync(html, 'utf8')
    const first = summarizeReport(report)[0].replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    expect(text.indexOf(`<p class="summary">${first}</p>`)).toBeGreaterThan(text.indexOf('<h1>'))
    expect(text.indexOf('<p class="summary">')).toBeLessThan(text.indexOf('<h2>'))
  })

  it('inlines everything: no scripts, no external assets, three charts', () => {
    const text = readFileSync(html, 'utf8')
    expect(text).not.toMatch(/<script|<link|@import|url\(|(src|href)=/i)
    expect([...text.matchAll(/data-chart="([a-z-]+)"/g)].map((m) => m[1])).toEqual(['recall-curve', 'segments', 'popularity-bias'])
  })

  it.skipIf(!hasChromium)(`renders its SVG charts in headless Chromium (skipped when ${CHROMIUM} is absent: apt-get install -y chromium)`, () => {
    const url = pathToFileURL(html).href
    const dom = chromium('--dump-dom', url)
    expect(dom.status).toBe(0)
    expect(dom.stdout.match(/<svg [^>]*class="chart"/g)).toHaveLength(3)
    // One line per model in the recall curve; bars for segments and the popularity histogram.
    expect(dom.stdout.match(/<polyline /g)).toHaveLength(2)
    expect((dom.stdout.match(/<rect /g) ?? []).length).toBeGreaterThan(20)

    const png = join(tempDir('rec-shot-'), 'report.png')
    expect(chromium(`--screenshot=${png}`, '--window-size=1200,900', url).status).toBe(0)
    const bytes = readFileSync(png)
    expect(bytes.subarray(1, 4).toString()).toBe('PNG')
    // IHDR width and height, then a size that only a page with content reaches (a blank page is ~4 KB).
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 900])
    expect(statSync(png).size).toBeGreaterThan(30_000)
  })
})
