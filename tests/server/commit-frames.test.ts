// The frames of one commit per audience, made from the live commit and from its log row: every
// user gets exactly the public actions and their own, in the commit's order, whether the commit
// names a few users or many (the release of every lapsed hold after a restart).
import { describe, expect, it } from 'vitest'
import type { Action } from '../../src/actions/index.js'
import { formatPosition, visibleTo } from '../../src/actions/index.js'
import { framesOfCommit, framesOfLogRow } from '../../src/server/stream/frames.js'

const EPOCH = 'epochone1'

/** `users` each lose two held lines, with the stock changes in between and at the end. */
const releaseOf = (users: string[]) => {
  const actions: Action[] = []
  users.forEach((user, i) => {
    actions.push({ type: 'cart/line-removed', payload: { user, sku: 'a', reason: 'expired' } })
    if (i === 1) {
      actions.push({ type: 'stock/changed', payload: { sku: 'a', onHand: 9, held: 3, version: 7 } })
    }
    actions.push({ type: 'cart/line-removed', payload: { user, sku: 'b', reason: 'expired' } })
  })
  actions.push({ type: 'stock/changed', payload: { sku: 'b', onHand: 9, held: 0, version: 8 } })
  return { seq: 12, at: 1_767_225_600_000, actions, users }
}

const frameText = (seq: number, at: number, actions: Action[]): string =>
  `id: ${formatPosition(EPOCH, seq)}\ndata: ${JSON.stringify({ seq, at, actions })}\n\n`

describe.each([
  ['a few users', ['ann', 'bob', 'cy']],
  ['many users', Array.from({ length: 40 }, (_, i) => `user${i}`)],
])('the frames of a commit for %s', (_, users) => {
  const commit = releaseOf(users)
  const row = {
    seq: commit.seq,
    at: commit.at,
    actions: JSON.stringify(commit.actions),
    users: `,${users.join(',')},`,
  }

  it.each([
    ['the live commit', () => framesOfCommit(EPOCH, commit)],
    ['its log row', () => framesOfLogRow(EPOCH, row as never)],
  ])('gives each user the public actions and their own, in order, from %s', (_, make) => {
    const frames = make()
    for (const user of users) {
      expect(frames.forUser(user)?.toString()).toBe(
        frameText(commit.seq, commit.at, visibleTo(commit.actions, user)),
      )
    }
    expect(frames.forUser('stranger')?.toString()).toBe(
      frameText(
        commit.seq,
        commit.at,
        commit.actions.filter((action) => !('user' in action.payload)),
      ),
    )
  })
})
