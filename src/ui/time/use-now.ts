// The local clock as React state, ticking every `intervalMs`, for countdowns. The offset to the
// server's clock comes from the store (see `Countdown`); this only says when to look again.
import { useEffect, useState } from 'react'

export const useNow = (intervalMs = 1000): number => {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}
