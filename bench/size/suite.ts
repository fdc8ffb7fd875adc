// Size: minified and gzipped bytes of `shelfsync/client` and `shelfsync/react` as a user's bundler
// would ship them: bundled with their dependencies (React left out, the app has it), minified by
// esbuild for the browser in production mode, then gzipped (level 9).
import { gzipSync } from 'node:zlib'
import { build, type Metafile } from 'esbuild'
import type { Suite, SuiteResult } from '../lib/suite.js'

const ENTRIES = [
  { name: 'shelfsync/client', file: 'src/store/index.ts' },
  { name: 'shelfsync/react', file: 'src/store/react.ts' },
] as const

const TARGET_BYTES = 12 * 1024

interface Measured {
  minified: number
  gzipped: number
  /** Bytes of minified output per input file, largest first. */
  inputs: Array<{ file: string; bytes: number }>
}

const measure = async (file: string, external: readonly string[] = []): Promise<Measured> => {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    external: ['react', 'react-dom', 'react/jsx-runtime', ...external],
    metafile: true,
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]?.contents ?? new Uint8Array()
  const output = Object.values((result.metafile as Metafile).outputs)[0]
  const inputs = Object.entries(output?.inputs ?? {})
    .map(([input, { bytesInOutput }]) => ({ file: input, bytes: bytesInOutput }))
    .filter(({ bytes }) => bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, inputs }
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`

export const sizeSuite: Suite = {
  name: 'size',
  summary: 'bundle size: shelfsync/client and shelfsync/react, minified and gzipped',
  async run(): Promise<SuiteResult> {
    const rows: SuiteResult['rows'][number][] = []
    const notes: string[] = []
    const data: Record<string, unknown> = {}
    for (const entry of ENTRIES) {
      const measured = await measure(entry.file)
      const checked = entry.name === 'shelfsync/client'
      rows.push({
        entry: entry.name,
        minified: measured.minified,
        gzipped: measured.gzipped,
        kib: kib(measured.gzipped),
        target: checked ? `≤ ${kib(TARGET_BYTES)}` : '',
      })
      data[entry.name] = measured
      const top = measured.inputs.slice(0, 8)
      notes.push(
        `${entry.name}, largest inputs (minified bytes): ${top.map(({ file, bytes }) => `${file.replace(/^node_modules\//, '')} ${bytes}`).join(', ')}`,
      )
    }
    // What the one large dependency costs, for the decision the target asks for.
    const withoutImmer = await measure('src/store/index.ts', ['immer'])
    const client = data['shelfsync/client'] as Measured
    notes.push(
      `immer is ${kib(client.gzipped - withoutImmer.gzipped)} of shelfsync/client gzipped (${withoutImmer.gzipped} bytes without it); the rest is Shelfsync's own code and eventsource-parser.`,
      `Target: shelfsync/client ≤ 12 KiB (${TARGET_BYTES} bytes) gzipped. esbuild, browser, es2022, NODE_ENV=production, React external.`,
    )
    data.clientWithoutImmer = withoutImmer.gzipped
    return {
      columns: [
        { key: 'entry', title: 'entry' },
        { key: 'minified', title: 'minified bytes' },
        { key: 'gzipped', title: 'gzipped bytes' },
        { key: 'kib', title: 'gzipped' },
        { key: 'target', title: 'target' },
      ],
      rows,
      notes,
      data,
    }
  },
}
