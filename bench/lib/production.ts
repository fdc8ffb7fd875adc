// Runs a measurement with NODE_ENV=production, as shipped code runs: Redux Toolkit and immer leave
// out their development checks only then. The variable is put back as it was, unset included.

export const inProduction = async <T>(run: () => Promise<T>): Promise<T> => {
  const mode = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    return await run()
  } finally {
    if (mode === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = mode
  }
}
