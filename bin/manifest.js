#!/usr/bin/env node
// Writes oclif.manifest.json after a build, so that `rec <command>` loads only that command's code.
import {Config} from '@oclif/core'
import {rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// Load from the compiled commands, not from a previous manifest (which would hide new commands).
rmSync(join(root, 'oclif.manifest.json'), {force: true})
const config = await Config.load({root})
const manifest = {...config.rootPlugin.manifest, version: config.version}
writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify(manifest, null, 2) + '\n')
