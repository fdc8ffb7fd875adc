// JSON with every object's members sorted by name (UTF-16 code units, as on any machine), at every
// depth; arrays keep their order. One text for one value, however its members were ordered.
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, member: unknown) =>
    typeof member === 'object' && member !== null && !Array.isArray(member)
      ? Object.fromEntries(Object.entries(member).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : member,
  )
