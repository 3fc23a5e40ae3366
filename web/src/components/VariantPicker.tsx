// The choice of a product's variant: one group of choices per option, combinations that are not
// made or are sold out disabled, given the values chosen for the options before.
import type { RouterOutputs } from "@storefront/client";

type ProductDetail = RouterOutputs["catalog"]["get"];
export type Variant = ProductDetail["variants"][number];

const sameValues = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** The variant with exactly these values, if the product is made in it. */
export const variantOf = (variants: readonly Variant[], values: readonly string[]) =>
  variants.find((v) => sameValues(v.optionValues, values));

/** Where the picker starts: the first variant that can be bought, else the first. */
export const initialValues = (variants: readonly Variant[]) =>
  (variants.find((v) => v.stockStatus !== "out") ?? variants[0])?.optionValues ?? [];

/**
 * The values after choosing `value` for option `index`: the other choices kept when that names a
 * variant in stock, else those of the first variant in stock with this value (choosing "L" when
 * "L / Red" is not made moves to "L / Blue").
 */
export function choose(variants: readonly Variant[], values: readonly string[], index: number, value: string): string[] {
  const wanted = values.map((v, i) => (i === index ? value : v));
  const exact = variantOf(variants, wanted);
  if (exact && exact.stockStatus !== "out") return wanted;
  return variants.find((v) => v.optionValues[index] === value && v.stockStatus !== "out")?.optionValues ?? wanted;
}

/**
 * Whether `value` can be chosen for option `index`, given the choices of the options before it
 * (the picker narrows from the first option to the last): some variant in stock has them all.
 * With S chosen, Blue is disabled when S / Blue is sold out; every size stays choosable while any
 * of its colours is in stock, and choosing it moves to one that is (see choose).
 */
const available = (variants: readonly Variant[], values: readonly string[], index: number, value: string) => {
  const prefix = [...values.slice(0, index), value];
  return variants.some((v) => v.stockStatus !== "out" && prefix.every((p, i) => v.optionValues[i] === p));
};

export function VariantPicker({
  product,
  values,
  onChange,
}: {
  product: ProductDetail;
  values: readonly string[];
  onChange: (values: string[]) => void;
}) {
  if (product.options.length === 0) return null;
  return (
    <div className="variant-picker">
      {product.options.map((option, index) => (
        <fieldset key={option.name}>
          <legend>{option.name}</legend>
          {option.values.map((value) => {
            const id = `option-${index}-${value}`;
            const disabled = !available(product.variants, values, index, value);
            return (
              <span key={value} className="choice">
                <input
                  type="radio"
                  id={id}
                  name={`option-${index}`}
                  value={value}
                  checked={values[index] === value}
                  disabled={disabled}
                  onChange={() => onChange(choose(product.variants, values, index, value))}
                />
                <label htmlFor={id}>
                  {value}
                  {disabled && <span className="visually-hidden"> (unavailable)</span>}
                </label>
              </span>
            );
          })}
        </fieldset>
      ))}
    </div>
  );
}
