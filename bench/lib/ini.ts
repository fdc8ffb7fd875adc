// Rewrites an INI file's settings by section, keeping everything else (comments, order, includes).

export type IniChanges = Record<string, Record<string, string>>

export const rewriteIni = (text: string, changes: IniChanges): string => {
  const pending = new Map(
    Object.entries(changes).map(([section, values]) => [section, { ...values }]),
  )
  const out: string[] = []
  let section = ''
  const flush = () => {
    const left = pending.get(section)
    if (!left) return
    for (const [key, value] of Object.entries(left)) out.push(`${key}=${value}`)
    pending.delete(section)
  }
  for (const line of text.split('\n')) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line)
    if (header) {
      flush()
      section = header[1] as string
      out.push(line)
      continue
    }
    const setting = /^\s*([A-Za-z0-9_.-]+)\s*=/.exec(line)
    const wanted = setting ? pending.get(section) : undefined
    const key = setting?.[1]
    if (wanted && key !== undefined && key in wanted) {
      out.push(`${key}=${wanted[key]}`)
      delete wanted[key]
    } else out.push(line)
  }
  flush()
  for (const [name, values] of pending) {
    out.push(`[${name}]`, ...Object.entries(values).map(([key, value]) => `${key}=${value}`))
  }
  return out.join('\n')
}
