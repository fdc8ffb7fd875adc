// The browser entry: one shop client for the page's own origin (the session cookie or the token
// from signing in), the styles, and the app.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createShopClient } from '../store/index.js'
import { App } from './app.js'
import './styles.css'

const root = document.getElementById('root')
if (root === null) throw new Error('index.html must have an element with id "root".')

const client = createShopClient({ baseUrl: '' })

createRoot(root).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
)
