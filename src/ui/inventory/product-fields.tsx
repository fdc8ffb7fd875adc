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

/** What is wrong with a form's values: the field, and a sentence saying what. */
export interface FieldProblem {
  field: keyof ProductFieldValues | 'sku'
  message: string
}

/** A product form's one error: a field's (tied to its input), or the server's (about no field). */
export type FormError = { message: string; field?: FieldProblem['field'] }

export interface ProductFieldsProps {
  values: ProductFieldValues
  onChange(values: ProductFieldValues): void
  /** The field the form's error is about, and the id of that error: it is tied to the input. */
  problem?: { field: FieldProblem['field']; messageId: string } | undefined
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
  problem,
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
        {...(problem?.field === name
          ? { 'aria-invalid': true, 'aria-describedby': problem.messageId }
          : {})}
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

/** The body a form's values make, or what is wrong with them. */
export const parseProductFields = (
  values: ProductFieldValues,
): { title: string; priceCents: number; onHand: number } | FieldProblem => {
  const title = values.title.trim()
  if (title === '') return { field: 'title', message: 'Give the product a title.' }
  const priceCents = parseDollars(values.price)
  if (priceCents === null) {
    return { field: 'price', message: 'Write the price in dollars, such as 12.50.' }
  }
  if (priceCents > LIMITS.priceCentsMax) {
    const message = `The price can be at most ${formatCents(LIMITS.priceCentsMax)}.`
    return { field: 'price', message }
  }
  const onHand = Number(values.onHand)
  if (values.onHand.trim() === '' || !Number.isInteger(onHand) || onHand < 0) {
    return { field: 'onHand', message: 'Units in stock must be a whole number, 0 or more.' }
  }
  if (onHand > LIMITS.onHandMax) {
    const message = `Units in stock can be at most ${LIMITS.onHandMax.toLocaleString('en-US')}.`
    return { field: 'onHand', message }
  }
  return { title, priceCents, onHand }
}

/** Whether `parsed` is a problem rather than a body. */
export const isFieldProblem = (parsed: object): parsed is FieldProblem => 'message' in parsed
