import { describe, expect, it } from 'vitest'
import { createDispatcher } from '../../src/store/dispatcher.js'

type TestAction = { type: 'a/happened' } | { type: 'b/happened' }

describe('createDispatcher', () => {
  it('hands every action to every registered callback, in order of registration', () => {
    const dispatcher = createDispatcher<TestAction>()
    const seen: string[] = []
    dispatcher.register((action) => seen.push(`first ${action.type}`))
    dispatcher.register((action) => seen.push(`second ${action.type}`))
    dispatcher.dispatch({ type: 'a/happened' })
    expect(seen).toEqual(['first a/happened', 'second a/happened'])
  })

  it('stops calling a callback once it is unregistered', () => {
    const dispatcher = createDispatcher<TestAction>()
    const seen: string[] = []
    const unregister = dispatcher.register((action) => seen.push(action.type))
    dispatcher.dispatch({ type: 'a/happened' })
    unregister()
    dispatcher.dispatch({ type: 'b/happened' })
    expect(seen).toEqual(['a/happened'])
  })

  it('refuses a dispatch in the middle of a dispatch with a message that says what to do', () => {
    const dispatcher = createDispatcher<TestAction>()
    dispatcher.register((action) => {
      if (action.type === 'a/happened') dispatcher.dispatch({ type: 'b/happened' })
    })
    expect(() => dispatcher.dispatch({ type: 'a/happened' })).toThrow(
      /^Dispatcher\.dispatch\(\.\.\.\): Cannot dispatch in the middle of a dispatch\. "b\/happened" was dispatched while "a\/happened" was being handled\..*subscribe to the store/,
    )
  })

  it('is idle again after a callback throws, and the next dispatch works', () => {
    const dispatcher = createDispatcher<TestAction>()
    const seen: string[] = []
    dispatcher.register((action) => {
      if (action.type === 'a/happened') throw new Error('boom')
      seen.push(action.type)
    })
    expect(() => dispatcher.dispatch({ type: 'a/happened' })).toThrow('boom')
    expect(dispatcher.isDispatching()).toBe(false)
    dispatcher.dispatch({ type: 'b/happened' })
    expect(seen).toEqual(['b/happened'])
  })

  it('runs after-dispatch listeners once the dispatch is over, so they may dispatch', () => {
    const dispatcher = createDispatcher<TestAction>()
    const seen: string[] = []
    dispatcher.register((action) => seen.push(`reduce ${action.type}`))
    dispatcher.afterDispatch((action) => {
      seen.push(`after ${action.type} (dispatching: ${dispatcher.isDispatching()})`)
      if (action.type === 'a/happened') dispatcher.dispatch({ type: 'b/happened' })
    })
    dispatcher.dispatch({ type: 'a/happened' })
    expect(seen).toEqual([
      'reduce a/happened',
      'after a/happened (dispatching: false)',
      'reduce b/happened',
      'after b/happened (dispatching: false)',
    ])
  })

  it('does not run after-dispatch listeners for an action whose dispatch failed', () => {
    const dispatcher = createDispatcher<TestAction>()
    const after: string[] = []
    dispatcher.register(() => {
      throw new Error('reducer bug')
    })
    dispatcher.afterDispatch((action) => after.push(action.type))
    expect(() => dispatcher.dispatch({ type: 'a/happened' })).toThrow('reducer bug')
    expect(after).toEqual([])
  })

  it('refuses something that is not an action', () => {
    const dispatcher = createDispatcher<TestAction>()
    expect(() => dispatcher.dispatch(null as unknown as TestAction)).toThrow(
      /Actions must be plain objects with a string `type`.*Received null/,
    )
    expect(() => dispatcher.dispatch({} as TestAction)).toThrow(/Received object/)
  })
})
