/**
 * Builds `dist/lib` (and `dist/app` when `app` is true) if missing or older than `src`.
 * `root` is the project's directory, the cwd by default.
 */
export declare const ensureBuilt: (options: { app: boolean; root?: string }) => void
