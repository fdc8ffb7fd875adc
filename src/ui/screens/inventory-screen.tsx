// The Inventory route (admin), or the sign-in form first.
import type { ReactNode } from 'react'
import { selectSession } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { InventoryView } from '../inventory/inventory-view.js'
import { StartPage } from '../start/start-page.js'
import { Screen } from './screen.js'

export const InventoryScreen = (): ReactNode => {
  const session = useShop(selectSession)
  if (session === null) return <StartPage next="inventory" />
  return (
    <Screen title="Inventory">
      <InventoryView />
    </Screen>
  )
}
