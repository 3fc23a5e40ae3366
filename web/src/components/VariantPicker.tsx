// The choice of a product's variant: one group of choices per option, combinations that are not
// made or are sold out disabled, given the values already chosen for the other options.
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

/** Whether choosing `value` for option `index`, keeping the other choices, names a variant in stock. */
const available = (variants: readonly Variant[], values: readonly string[], index: number, value: string) => {
  const wanted = values.map((v, i) => (i === index ? value : v));
  const variant = variantOf(variants, wanted);
  return variant !== undefined && variant.stockStatus !== "out";
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
                  onChange={() => onChange(values.map((v, i) => (i === index ? value : v)))}
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
