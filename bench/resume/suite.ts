// Resume: the time a client 100k commits behind takes to be live again, against a real server
// (its own process, a SQLite file, HTTP on 127.0.0.1) and the real Node SDK client.
import { mkdirSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import os from 'node:os'
import type * as ClientModule from '../../src/store/index.js'
import { importBuilt } from '../lib/built.js'
import { summarizeProfile } from '../lib/profile.js'
import { RESULTS_DIR } from '../lib/results.js'
import type { Suite, SuiteResult } from '../lib/suite.js'
import { measureResume } from './resume.js'

const { createShopClient } = await importBuilt<typeof ClientModule>('store/index.js')

const PRODUCTS = 10_000

/** Runs `work` under a CPU profile of this process (the client); answers its file. */
const profiled = async <T>(work: () => Promise<T>, file: string): Promise<T> => {
  const session = new Session()
  session.connect()
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    )
  await post('Profiler.enable')
  await post('Profiler.start')
  try {
    return await work()
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown }
    writeFileSync(file, JSON.stringify(profile))
    session.disconnect()
  }
}

export const resumeSuite: Suite = {
  name: 'resume',
  summary: 'resume: time for a client 100k commits behind to be live again (real server, HTTP)',
  async run({ quick, profile, flags }): Promise<SuiteResult> {
    const commits = Number(flags.get('commits') ?? (quick ? 5_000 : 100_000))
    const profileFile = `${RESULTS_DIR}profiles/resume-client-${Date.now()}.cpuprofile`
    if (profile) mkdirSync(`${RESULTS_DIR}profiles`, { recursive: true })
    const result = await measureResume({
      commits,
      products: PRODUCTS,
      makeClient: createShopClient,
      ...(profile ? { around: (work) => profiled(work, profileFile) } : {}),
    })
    const notes = [
      `The server (createShelfsync on a SQLite file, demo off, @hono/node-server) runs in its own process; the client is createShopClient with a bearer token in this one. ${PRODUCTS.toLocaleString('en-US')} products; each commit restocks one of them.`,
      `The client synced once and stopped; ${commits.toLocaleString('en-US')} commits were then written in one transaction through the server's writer (${result.writeSeconds.toFixed(1)} s, not timed). Timed: start() until its position is at the head and its status live; then every product is checked against the server's snapshot.`,
      `Load average when done: ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')} on ${os.availableParallelism()} cores.`,
    ]
    if (profile) {
      notes.push(`Client CPU profile: ${profileFile}`)
      // `dispatch` without a file is node:inspector handling the profiler's own messages.
      const lines = summarizeProfile(profileFile, 11).filter((line) => !/% dispatch $/.test(line))
      for (const line of lines.slice(0, 10)) notes.push(`  ${line}`)
    }
    return {
      columns: [
        { key: 'case', title: 'case' },
        { key: 'seconds', title: 'seconds to live' },
        { key: 'commitsPerSecond', title: 'commits/s' },
        { key: 'batches', title: 'store batches' },
        { key: 'clientCpu', title: 'client CPU s' },
        { key: 'serverCpu', title: 'server CPU s' },
      ],
      rows: [
        {
          case: `${commits.toLocaleString('en-US')} commits behind`,
          seconds: Number(result.seconds.toFixed(2)),
          commitsPerSecond: Math.round(result.commitsPerSecond),
          batches: result.batches,
          clientCpu: Number(result.clientCpuSeconds.toFixed(2)),
          serverCpu: Number(result.serverCpuSeconds.toFixed(2)),
        },
      ],
      notes,
      data: { commits, products: PRODUCTS, ...result },
    }
  },
}
