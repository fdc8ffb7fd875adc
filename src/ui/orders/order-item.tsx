// One order: its lines, total and status; a pending one shows its time left, Pay and Cancel.
// While a payment or cancellation waits for the server the order keeps its status (showing it
// paid too early would mislead) and the button says what is under way. Pay and Cancel turn
// disabled, then go: the focus goes to the order's status, never to another order's buttons.
import type { ReactNode } from 'react'
import { memo, useId } from 'react'
import type { Order } from '../../store/index.js'
import { selectOrderChange } from '../../store/index.js'
import { useShop, useShopClient } from '../../store/react.js'
import { useKeepFocus } from '../focus/use-keep-focus.js'
import { formatCents } from '../format/money.js'
import { Countdown } from '../time/countdown.js'
import { OrderLines } from './order-lines.js'
import { orderName } from './order-name.js'

const STATUS_TEXT: Record<Order['status'], string> = {
  pending: 'Waiting for payment',
  paid: 'Paid',
  expired: 'Expired',
  cancelled: 'Cancelled',
}

// Memoised: the store keeps an unchanged item's object, so a list re-renders only what changed.
export const OrderItem = memo(({ order }: { order: Order }): ReactNode => {
  const client = useShopClient()
  const change = useShop(selectOrderChange(order.id))
  const area = useKeepFocus<HTMLLIElement>()
  // Named by its total; described by the id, which tells two orders of one total apart.
  const name = orderName(order)
  const idId = useId()
  return (
    <li ref={area} className="order" data-testid={`order-${order.id}`} data-status={order.status}>
      <div className="order__head">
        <span id={idId} className="order__id">
          {order.id}
        </span>
        <span
          className={`status status--${order.status}`}
          data-testid="order-status"
          tabIndex={-1}
          data-focus-fallback
        >
          {STATUS_TEXT[order.status]}
        </span>
      </div>
      <OrderLines order={order} />
      <p className="order__total">
        Total <strong>{formatCents(order.totalCents)}</strong>
      </p>
      {order.status === 'pending' ? (
        <div className="order__actions">
          <Countdown expiresAt={order.expiresAt} label={`Time to pay ${name}`} />
          <span className="row">
            <button
              type="button"
              className="button button--primary button--small"
              aria-label={`Pay ${name}`}
              aria-describedby={idId}
              aria-busy={change === 'pay'}
              disabled={change !== null}
              onClick={() => void client.payOrder(order.id)}
            >
              {change === 'pay' ? 'Paying…' : 'Pay'}
            </button>
            <button
              type="button"
              className="button button--quiet button--small"
              aria-label={`Cancel ${name}`}
              aria-describedby={idId}
              aria-busy={change === 'cancel'}
              disabled={change !== null}
              onClick={() => void client.cancelOrder(order.id)}
            >
              {change === 'cancel' ? 'Cancelling…' : 'Cancel'}
            </button>
          </span>
        </div>
      ) : null}
    </li>
  )
})
