import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The shop app: `index.html` + src/ui. In development Vite proxies the API to the server.
const api = `http://127.0.0.1:${process.env.PORT ?? 8787}`

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist/app', emptyOutDir: true },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
})
