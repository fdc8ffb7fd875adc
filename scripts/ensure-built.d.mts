/** Builds `dist/lib` (and `dist/app` when `app` is true) if missing or older than `src`. */
export declare const ensureBuilt: (options: { app: boolean }) => void
