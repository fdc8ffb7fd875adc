// Plain-text tables for the terminal: right-aligned numbers, left-aligned text.
import type { Cell, SuiteResult } from './suite.js'

const show = (cell: Cell | undefined): string => {
  if (cell === null || cell === undefined) return '–'
  if (typeof cell === 'string') return cell
  if (Number.isInteger(cell)) return cell.toLocaleString('en-US')
  return Math.abs(cell) >= 100 ? Math.round(cell).toLocaleString('en-US') : cell.toFixed(1)
}

export const formatTable = ({ columns, rows }: Pick<SuiteResult, 'columns' | 'rows'>): string => {
  const cells = rows.map((row) => columns.map((column) => show(row[column.key])))
  const widths = columns.map((column, i) =>
    Math.max(column.title.length, ...cells.map((line) => line[i]?.length ?? 0)),
  )
  const numeric = columns.map((column) => rows.some((row) => typeof row[column.key] === 'number'))
  const pad = (text: string, i: number) =>
    numeric[i] ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0)
  const line = (texts: string[]) => `| ${texts.map(pad).join(' | ')} |`
  const rule = `|${widths.map((width, i) => (numeric[i] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`
  return [line(columns.map((column) => column.title)), rule, ...cells.map(line)].join('\n')
}
