// The suites measure Shelfsync as shipped: the tsc build in dist/lib, which `npm start` and the
// package's exports run. Not the TypeScript sources through tsx: its esbuild transform keeps
// function names with a defineProperty per closure, which costs every per-stream closure a
// property array (about 3 KB per open stream) and every per-request closure a call.
// `bench/run.ts` builds dist/lib first when it is missing or older than src.
import { fileURLToPath } from 'node:url'

const BUILT = new URL('../../dist/lib/', import.meta.url)

/** Imports `dist/lib/<path>`, typed as its source module `T`. */
export const importBuilt = <T>(path: string): Promise<T> => {
  const url = new URL(path, BUILT)
  return (import(url.href) as Promise<T>).catch((error: unknown) => {
    throw new Error(
      `bench: cannot load ${fileURLToPath(url)}; run the bench with npm run bench, which builds it`,
      { cause: error },
    )
  })
}
