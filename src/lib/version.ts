// The package version, recorded in every manifest rec writes.
import {createRequire} from 'node:module'

export const REC_VERSION: string = (createRequire(import.meta.url)('../../package.json') as {version: string}).version
