// Headings that take their level from where they are: a section heading is an h2 on a screen of
// its own and an h3 inside a Demo panel, so the outline stays right in both. Inside a panel, a
// section's name also starts with the panel's title ("Customer 1 Products"), so a screen reader's
// list of landmarks tells the three panels' sections apart.
import type { HTMLAttributes, ReactNode } from 'react'
import { createContext, createElement, useContext, useMemo } from 'react'

interface Outline {
  level: number
  /** The id of the enclosing panel's title, if any. */
  titleId?: string | undefined
}

/** Where a heading is: its base level, and the panel title a section's name starts with. */
const OutlineContext = createContext<Outline>({ level: 2 })

export interface HeadingLevelProps {
  level: number
  /** The id of the title of the panel the headings below are inside. */
  titleId?: string
  children: ReactNode
}

/** Headings below start at `level` (2 on a screen, 3 inside a panel titled by an h2). */
export const HeadingLevel = ({ level, titleId, children }: HeadingLevelProps): ReactNode => {
  const outline = useMemo(() => ({ level, titleId }), [level, titleId])
  return <OutlineContext.Provider value={outline}>{children}</OutlineContext.Provider>
}

/** `aria-labelledby` for a section titled by `headingId`: the panel's title first, if any. */
export const useSectionLabel = (headingId: string): string => {
  const { titleId } = useContext(OutlineContext)
  return titleId === undefined ? headingId : `${titleId} ${headingId}`
}

export interface HeadingProps extends HTMLAttributes<HTMLHeadingElement> {
  /** 0 for a section's heading, 1 for one inside that section. */
  depth?: number
}

export const Heading = ({ depth = 0, ...props }: HeadingProps): ReactNode => {
  const level = Math.min(6, useContext(OutlineContext).level + depth)
  return createElement(`h${level}`, props)
}
