// The Shop route: the signed-in customer's shop, or the sign-in form first.
import type { ReactNode } from 'react'
import { selectSession } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { ShopView } from '../shop/shop-view.js'
import { StartPage } from '../start/start-page.js'
import { Screen } from './screen.js'

export const ShopScreen = (): ReactNode => {
  const session = useShop(selectSession)
  if (session === null) return <StartPage next="shop" />
  return (
    <Screen title="Shop">
      <ShopView />
    </Screen>
  )
}
