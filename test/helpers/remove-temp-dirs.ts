// Runs in every test file: the temp directories its tests made are removed once they finished.
import {afterAll} from 'vitest'

import {removeTempDirs} from './cli.js'

afterAll(removeTempDirs)
