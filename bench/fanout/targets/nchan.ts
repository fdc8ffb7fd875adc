// Target (d): nginx with the Nchan module from Debian's packages, one worker pinned to the server
// core, configured in a temporary folder on loopback. Subscribers read /sub as EventSource; the
// writer POSTs each commit's data to /pub (Nchan adds its own `id:`).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { ensureDebianPackages } from '../../lib/apt.js'
import {
  freePort,
  openFilesLimit,
  SERVER_CORE,
  spawnPinned,
  stopChild,
  waitForPort,
} from '../../lib/proc.js'
import { commitData } from '../frame.js'
import { SSE_ACCEPT } from './headers.js'
import type { Target } from './target.js'

const NGINX = '/usr/sbin/nginx'
const MODULE = '/usr/lib/nginx/modules/ngx_nchan_module.so'

const config = (dir: string, port: number) => `
load_module ${MODULE};
worker_processes 1;
worker_rlimit_nofile ${openFilesLimit()};
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections ${openFilesLimit() - 1000}; multi_accept on; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location = /sub {
      nchan_subscriber eventsource;
      nchan_channel_id inventory;
    }
    location = /pub {
      nchan_publisher;
      nchan_channel_id inventory;
      nchan_message_buffer_length 100;
      nchan_message_timeout 60s;
      allow 127.0.0.1;
      deny all;
    }
  }
}
`

export const nchanTarget: Target = {
  name: 'nginx + Nchan',
  async unavailable({ allowInstall }) {
    return ensureDebianPackages(['nginx', 'libnginx-mod-nchan'], [NGINX, MODULE], { allowInstall })
  },
  async start() {
    const dir = mkdtempSync(join(os.tmpdir(), 'shelfsync-nchan-'))
    mkdirSync(join(dir, 'tmp'))
    const port = await freePort()
    writeFileSync(join(dir, 'nginx.conf'), config(dir, port))
    const child = spawnPinned(SERVER_CORE, NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    const stop = async () => {
      await stopChild(child, 5_000)
      rmSync(dir, { recursive: true, force: true })
    }
    try {
      await waitForPort(port)
    } catch (error) {
      await stop()
      throw error
    }
    return {
      stream: { port, path: '/sub', headers: SSE_ACCEPT },
      write: (seq, at) => ({
        port,
        path: '/pub',
        headers: { 'Content-Type': 'text/plain' },
        body: commitData(seq, at),
      }),
      pids: () => [child.pid as number],
      settle: async () => null,
      stop,
    }
  },
}
