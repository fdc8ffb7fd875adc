// The Shop screen's body for the client of the nearest ShopProvider: products, cart and orders.
// Used by the Shop route and by each customer panel of the Demo page. Its announcer says the
// customer's own changes to a screen reader.
import type { ReactNode } from 'react'
import { CartPanel } from '../cart/cart-panel.js'
import { OrderList } from '../orders/order-list.js'
import { Announcer } from '../status/announcer.js'
import { ProductList } from './product-list.js'

export const ShopView = (): ReactNode => (
  <div className="shop" data-testid="shop">
    <ProductList />
    <div className="shop__side">
      <CartPanel />
      <OrderList />
    </div>
    <Announcer />
  </div>
)
