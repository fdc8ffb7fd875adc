// Headings that take their level from where they are: a section heading is an h2 on a screen of
// its own and an h3 inside a Demo panel, so the outline stays right in both.
import type { HTMLAttributes, ReactNode } from 'react'
import { createContext, createElement, useContext } from 'react'

const BaseLevel = createContext(2)

/** Headings below start at `level` (2 on a screen, 3 inside a panel titled by an h2). */
export const HeadingLevel = ({ level, children }: { level: number; children: ReactNode }) => (
  <BaseLevel.Provider value={level}>{children}</BaseLevel.Provider>
)

export interface HeadingProps extends HTMLAttributes<HTMLHeadingElement> {
  /** 0 for a section's heading, 1 for one inside that section. */
  depth?: number
}

export const Heading = ({ depth = 0, ...props }: HeadingProps): ReactNode => {
  const level = Math.min(6, useContext(BaseLevel) + depth)
  return createElement(`h${level}`, props)
}
