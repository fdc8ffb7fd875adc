// Target (e): Pushpin from Debian's packages, configured in a temporary folder on loopback, with
// its own zurl (the packaged setup points at one that nothing starts) and its fan-out throttles
// raised. A tiny GRIP backend holds each stream on the channel; the writer publishes through
// Pushpin's HTTP publish endpoint with the whole frame as `http-stream` content.
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import { join } from 'node:path'
import { ensureDebianPackages } from '../../lib/apt.js'
import { rewriteIni } from '../../lib/ini.js'
import { freePort, SERVER_CORE, spawnPinned, stopChild, waitForPort } from '../../lib/proc.js'
import { commitFrame } from '../frame.js'
import { SSE_ACCEPT } from './headers.js'
import type { Target } from './target.js'

const PUSHPIN = '/usr/bin/pushpin'
const ZURL = '/usr/bin/zurl'
const PACKAGED_CONFIG = '/etc/pushpin/pushpin.conf'
const PACKAGED_INTERNAL = '/usr/lib/pushpin/internal.conf'
const CHANNEL = 'inventory'

/** Answers every stream request with GRIP headers: hold it open on the channel. */
const startGripBackend = (): Promise<{ port: number; close(): void }> =>
  new Promise((resolve) => {
    const server = http.createServer((_request, response) => {
      response.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Grip-Hold': 'stream',
        'Grip-Channel': CHANNEL,
      })
      response.end('retry: 3000\n\n')
    })
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo
      resolve({ port, close: () => server.close() })
    })
  })

const writeConfig = (dir: string, ports: { http: number; publish: number; backend: number }) => {
  const run = join(dir, 'run')
  mkdirSync(run)
  mkdirSync(join(dir, 'log'))
  const zurl = {
    in: `ipc://${run}/zurl-in`,
    inStream: `ipc://${run}/zurl-in-stream`,
    out: `ipc://${run}/zurl-out`,
  }
  writeFileSync(
    join(dir, 'zurl.conf'),
    `[General]\nin_spec=${zurl.in}\nin_stream_spec=${zurl.inStream}\nout_spec=${zurl.out}\n` +
      'defpolicy=allow\nallow=\ndeny=\nmax_open_requests=20000\nbuffer_size=200000\ntimeout=600\nin_hwm=1000\nout_hwm=1000\n',
  )
  writeFileSync(
    join(dir, 'internal.conf'),
    rewriteIni(readFileSync(PACKAGED_INTERNAL, 'utf8'), {
      proxy: {
        zurl_out_specs: zurl.in,
        zurl_out_stream_specs: zurl.inStream,
        zurl_in_specs: zurl.out,
      },
    }),
  )
  writeFileSync(join(dir, 'routes'), `* 127.0.0.1:${ports.backend}\n`)
  writeFileSync(
    join(dir, 'pushpin.conf'),
    rewriteIni(readFileSync(PACKAGED_CONFIG, 'utf8'), {
      global: { include: join(dir, 'internal.conf'), rundir: run },
      runner: {
        http_port: `127.0.0.1:${ports.http}`,
        logdir: join(dir, 'log'),
        client_maxconn: '50000',
      },
      proxy: { routesfile: join(dir, 'routes') },
      handler: {
        push_in_spec: `ipc://${run}/push-in`,
        push_in_sub_specs: `ipc://${run}/push-in-sub`,
        push_in_http_addr: '127.0.0.1',
        push_in_http_port: String(ports.publish),
        command_spec: `ipc://${run}/handler-command`,
        // The packaged throttles (2,500 messages/s, 25,000 queued) would cap the fan-out.
        message_rate: '10000000',
        message_hwm: '10000000',
      },
    }),
  )
}

export const pushpinTarget: Target = {
  name: 'Pushpin',
  async unavailable({ allowInstall }) {
    return ensureDebianPackages(
      ['pushpin', 'zurl'],
      [PUSHPIN, ZURL, PACKAGED_CONFIG, PACKAGED_INTERNAL],
      {
        allowInstall,
      },
    )
  },
  async start() {
    const dir = mkdtempSync(join(os.tmpdir(), 'shelfsync-pushpin-'))
    const backend = await startGripBackend()
    const ports = { http: await freePort(), publish: await freePort(), backend: backend.port }
    writeConfig(dir, ports)
    const children: ChildProcess[] = [
      spawnPinned(SERVER_CORE, ZURL, [`--config=${join(dir, 'zurl.conf')}`], { stdio: 'ignore' }),
      spawnPinned(SERVER_CORE, PUSHPIN, ['--config', join(dir, 'pushpin.conf')], {
        stdio: 'ignore',
      }),
    ]
    const stop = async () => {
      await Promise.all(children.map((child) => stopChild(child, 5_000)))
      backend.close()
      rmSync(dir, { recursive: true, force: true })
    }
    try {
      await waitForPort(ports.http, 15_000)
      await waitForPort(ports.publish, 15_000)
    } catch (error) {
      await stop()
      throw error
    }
    return {
      stream: { port: ports.http, path: '/events', headers: SSE_ACCEPT },
      write: (seq, at) => ({
        port: ports.publish,
        path: '/publish/',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          items: [
            { channel: CHANNEL, formats: { 'http-stream': { content: commitFrame(seq, at) } } },
          ],
        }),
      }),
      pids: () => children.map((child) => child.pid as number),
      settle: async () => null,
      stop,
    }
  },
}
