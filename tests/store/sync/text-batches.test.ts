import { describe, expect, it } from 'vitest'
import { textBatches } from '../../../src/store/sync/text-batches.js'

const bytes = (text: string) => new TextEncoder().encode(text)

/** A body the test feeds by hand, and a reader of it in batches. */
const body = (maxChars = 1_000) => {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c
    },
  })
  let chunks = 0
  const batches = textBatches(stream.getReader(), maxChars, () => {
    chunks++
  })
  return { controller, batches, chunks: () => chunks }
}

describe('textBatches', () => {
  it('takes every chunk that has already arrived into one batch', async () => {
    const { controller, batches, chunks } = body()
    controller.enqueue(bytes('id: 1\n'))
    controller.enqueue(bytes('data: {}\n\n'))
    controller.enqueue(bytes('id: 2\n'))
    expect(await batches.next()).toEqual({ text: 'id: 1\ndata: {}\n\nid: 2\n', done: false })
    expect(chunks()).toBe(3)
  })

  it('delivers a chunk alone when the next one has not arrived', async () => {
    const { controller, batches } = body()
    controller.enqueue(bytes('a'))
    const first = batches.next()
    expect(await first).toEqual({ text: 'a', done: false })
    const second = batches.next()
    setTimeout(() => controller.enqueue(bytes('b')), 5)
    expect(await second).toEqual({ text: 'b', done: false })
  })

  it('stops growing a batch at the size bound and keeps the rest for the next', async () => {
    const { controller, batches } = body(4)
    for (const text of ['ab', 'cd', 'ef']) controller.enqueue(bytes(text))
    expect((await batches.next()).text).toBe('abcd')
    expect((await batches.next()).text).toBe('ef')
  })

  it('keeps a character whose bytes are split between chunks whole', async () => {
    const { controller, batches } = body()
    const tea = bytes('緑茶')
    controller.enqueue(tea.subarray(0, 2))
    const first = await batches.next()
    setTimeout(() => controller.enqueue(tea.subarray(2)), 5)
    const second = await batches.next()
    expect(first.text + second.text).toBe('緑茶')
  })

  it('reports the end, and a break after delivering what came before it', async () => {
    const ended = body()
    ended.controller.enqueue(bytes('x'))
    ended.controller.close()
    expect(await ended.batches.next()).toEqual({ text: 'x', done: false })
    expect(await ended.batches.next()).toEqual({ text: '', done: true })

    const broken = body()
    broken.controller.enqueue(bytes('y'))
    expect(await broken.batches.next()).toEqual({ text: 'y', done: false })
    broken.controller.error(new Error('reset'))
    await expect(broken.batches.next()).rejects.toThrow('reset')
  })
})
