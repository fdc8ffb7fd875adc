// Size: minified and gzipped bytes of `shelfsync/client` and `shelfsync/react` as a user's bundler
// would ship them: bundled with their dependencies (React left out, the app has it), minified by
// esbuild for the browser in production mode, then gzipped (level 9).
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { build, type Metafile, type Plugin } from 'esbuild'
import ts from 'typescript'
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

/** The client's dependencies, as the SDK imports them. */
const DEPENDENCIES = ['immer', 'eventsource-parser', 'zustand'] as const
const DEPENDENCIES_ONLY = [
  "export { Immer } from 'immer'",
  "export { createParser } from 'eventsource-parser'",
  "export { createStore } from 'zustand/vanilla'",
].join('\n')

/** Parts of the SDK's own code, by where it lives, for the breakdown. */
const PARTS: ReadonlyArray<{ name: string; test: RegExp }> = [
  { name: 'sync connection', test: /^src\/store\/sync\// },
  { name: 'reducers', test: /^src\/store\/reducers\// },
  { name: 'commands + http', test: /^src\/store\/(commands|http|ids)\.ts$/ },
  { name: 'selectors', test: /^src\/store\/selectors\.ts$/ },
  { name: 'client, store, dispatcher', test: /^src\/store\// },
  { name: 'protocol constants', test: /^src\/actions\// },
]

const byPart = (inputs: Measured['inputs']): Array<{ part: string; bytes: number }> => {
  const totals = new Map<string, number>()
  for (const { file, bytes } of inputs) {
    const part =
      PARTS.find(({ test }) => test.test(file))?.name ?? file.replace(/^node_modules\//, '')
    totals.set(part, (totals.get(part) ?? 0) + bytes)
  }
  return [...totals].map(([part, bytes]) => ({ part, bytes })).sort((a, b) => b.bytes - a.bytes)
}

type Entry = { file: string } | { contents: string }

/** Strings this long or longer count as messages for the bound below. */
const MESSAGE_CHARS = 12

/**
 * A bound, not a build: Shelfsync's own sources with every string of MESSAGE_CHARS or more and
 * every template literal cut to `""` (which breaks the code). What cutting messages could save.
 */
const cutStrings: Plugin = {
  name: 'cut-strings',
  setup(b) {
    b.onLoad({ filter: /\/src\/.*\.ts$/ }, ({ path }) => {
      let text = readFileSync(path, 'utf8')
      const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true)
      const cuts: Array<[number, number]> = []
      const visit = (node: ts.Node): void => {
        if (ts.isTemplateExpression(node)) cuts.push([node.getStart(), node.getEnd()])
        else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
          const { parent } = node
          const inCode = !(
            ts.isImportDeclaration(parent) ||
            ts.isExportDeclaration(parent) ||
            ts.isLiteralTypeNode(parent)
          )
          if (inCode && node.text.length >= MESSAGE_CHARS)
            cuts.push([node.getStart(), node.getEnd()])
        } else ts.forEachChild(node, visit)
      }
      visit(source)
      for (const [start, end] of cuts.reverse())
        text = `${text.slice(0, start)}""${text.slice(end)}`
      return { contents: text, loader: 'ts' }
    })
  },
}

const measure = async (
  entry: Entry,
  external: readonly string[] = [],
  plugins: Plugin[] = [],
): Promise<Measured> => {
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.contents, resolveDir: process.cwd(), loader: 'ts' as const } }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    external: ['react', 'react-dom', 'react/jsx-runtime', ...external],
    metafile: true,
    plugins,
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]?.contents ?? new Uint8Array()
  const output = Object.values((result.metafile as Metafile).outputs)[0]
  const inputs = Object.entries(output?.inputs ?? {})
    .map(([input, { bytesInOutput }]) => ({ file: input, bytes: bytesInOutput }))
    .filter(({ file, bytes }) => bytes > 0 && file !== '<stdin>')
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
      const measured = await measure({ file: entry.file })
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
    // What the dependencies cost, and what the target leaves for Shelfsync's own code.
    const client = data['shelfsync/client'] as Measured
    const withoutImmer = await measure({ file: 'src/store/index.ts' }, ['immer'])
    const ownOnly = await measure({ file: 'src/store/index.ts' }, DEPENDENCIES)
    const dependencies = await measure({ contents: DEPENDENCIES_ONLY })
    const stringsCut = await measure({ file: 'src/store/index.ts' }, [], [cutStrings])
    // What an app or service that only builds a client and reads its store ships: selectors and
    // the other helpers it does not import are shaken out.
    const clientOnly = await measure({
      contents: "export { createShopClient } from './src/store/index.ts'",
    })
    notes.push(
      `shelfsync/client by part (minified bytes): ${byPart(client.inputs)
        .map(({ part, bytes }) => `${part} ${bytes}`)
        .join(', ')}.`,
      `Gzipped alone: immer + eventsource-parser + zustand ${dependencies.gzipped} bytes (${kib(dependencies.gzipped)}); Shelfsync's own code ${ownOnly.gzipped} bytes (${kib(ownOnly.gzipped)}); without immer the entry is ${withoutImmer.gzipped} bytes. The target leaves ${kib(TARGET_BYTES - dependencies.gzipped)} for the own code.`,
      `Bound on cutting messages: with every string of ${MESSAGE_CHARS}+ characters and every template cut from the own code (broken code, measured only), the entry is ${stringsCut.gzipped} bytes (${kib(stringsCut.gzipped)}).`,
      `Importing only createShopClient (selectors and other helpers left out by the bundler): ${clientOnly.gzipped} bytes (${kib(clientOnly.gzipped)}).`,
      `Target: shelfsync/client ≤ 12 KiB (${TARGET_BYTES} bytes) gzipped. esbuild, browser, es2022, NODE_ENV=production, React external.`,
    )
    data.clientWithoutImmer = withoutImmer.gzipped
    data.clientOwnCode = ownOnly.gzipped
    data.dependencies = dependencies.gzipped
    data.clientStringsCut = stringsCut.gzipped
    data.clientOnly = clientOnly.gzipped
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
