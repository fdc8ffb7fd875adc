// The labelled inputs of a product form (title, price in dollars, units in stock), shared by the
// create and edit forms. The values are the form's own until it is sent.
import type { InputHTMLAttributes, ReactNode } from 'react'
import { useId } from 'react'
import { LIMITS } from '../../actions/index.js'
import { formatCents, parseDollars } from '../format/money.js'

export interface ProductFieldValues {
  title: string
  price: string
  onHand: string
}

export interface ProductFieldsProps {
  values: ProductFieldValues
  onChange(values: ProductFieldValues): void
  /** Added to each label for screen readers: "Title of Enamel mug". */
  of?: string
  /** Marks the title as where the focus goes when the fields appear in place of a button. */
  focusTitle?: boolean
}

export const ProductFields = ({
  values,
  onChange,
  of,
  focusTitle = false,
}: ProductFieldsProps): ReactNode => {
  const id = useId()
  const suffix = of === undefined ? '' : ` of ${of}`
  const field = (
    name: keyof ProductFieldValues,
    label: string,
    props: InputHTMLAttributes<HTMLInputElement>,
  ): ReactNode => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>
        {label}
        {suffix === '' ? null : <span className="sr-only">{suffix}</span>}
      </label>
      <input
        id={`${id}-${name}`}
        name={name}
        value={values[name]}
        required
        onChange={(event) => onChange({ ...values, [name]: event.target.value })}
        {...props}
      />
    </div>
  )
  return (
    <>
      {field('title', 'Title', {
        type: 'text',
        maxLength: 200,
        autoComplete: 'off',
        ...(focusTitle ? { 'data-focus-first': true } : {}),
      })}
      {field('price', 'Price ($)', {
        type: 'text',
        inputMode: 'decimal',
        pattern: '\\$?\\d+(\\.\\d{0,2})?',
      })}
      {field('onHand', 'In stock', { type: 'number', min: 0, step: 1 })}
    </>
  )
}

/** The body a form's values make, or a sentence saying what is wrong with them. */
export const parseProductFields = (
  values: ProductFieldValues,
): { title: string; priceCents: number; onHand: number } | string => {
  const title = values.title.trim()
  if (title === '') return 'Give the product a title.'
  const priceCents = parseDollars(values.price)
  if (priceCents === null) return 'Write the price in dollars, such as 12.50.'
  if (priceCents > LIMITS.priceCentsMax) {
    return `The price can be at most ${formatCents(LIMITS.priceCentsMax)}.`
  }
  const onHand = Number(values.onHand)
  if (values.onHand.trim() === '' || !Number.isInteger(onHand) || onHand < 0) {
    return 'Units in stock must be a whole number, 0 or more.'
  }
  if (onHand > LIMITS.onHandMax) {
    return `Units in stock can be at most ${LIMITS.onHandMax.toLocaleString('en-US')}.`
  }
  return { title, priceCents, onHand }
}
