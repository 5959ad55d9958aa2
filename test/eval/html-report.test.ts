// report.html is self-contained, and headless Chromium renders its three SVG charts offline.
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {beforeAll, describe, expect, it} from 'vitest'

import {runEval} from '../../src/lib/eval/run-eval.js'
import {writeReportDir} from '../../src/lib/eval/write-report.js'
import {tempDir} from '../helpers/cli.js'
import {randomWorld, writeWorld} from './fixtures.js'

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
let html: string

function chromium(...args: string[]): {status: number | null; stdout: string} {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  const result = spawnSync(CHROMIUM, [...flags, `--user-data-dir=${tempDir('rec-chromium-')}`, ...args], {encoding: 'utf8', timeout: 90_000, maxBuffer: 64 << 20})
  return {status: result.status, stdout: result.stdout}
}

beforeAll(async () => {
  const root = tempDir()
  const dataset = await writeWorld(join(root, 'world'), randomWorld(5))
  const report = await runEval({dataset, models: [{kind: 'baseline', name: 'popular'}, {kind: 'baseline', name: 'itemknn'}], split: 'test', ks: [5, 10, 20], protocol: {kind: 'full'}, resamples: 100})
  html = (await writeReportDir(join(root, 'report'), report)).html
})

describe('report.html', () => {
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
