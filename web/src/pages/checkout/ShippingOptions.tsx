// The shipping options for the cart to the address's country: a radio group, cheapest first.
import { useQuery } from "@tanstack/react-query";
import { errorMessage, trpc } from "../../api";
import { money } from "../../format";

const COUNTRY = /^[A-Z]{2}$/;

export function ShippingOptions({
  country,
  region,
  currency,
  value,
  onChange,
}: {
  country: string;
  region: string | undefined;
  currency: string;
  value: string | undefined;
  onChange: (id: string) => void;
}) {
  const ready = COUNTRY.test(country);
  const options = useQuery({ ...trpc.cart.shippingOptions.queryOptions({ country, region }), enabled: ready });
  if (!ready) return <p className="muted">Enter the country code to see the shipping options.</p>;
  if (options.isPending) return <p className="muted">Finding shipping options…</p>;
  if (options.isError) return <p className="field-error">{errorMessage(options.error)}</p>;
  if (options.data.length === 0) return <p className="field-error">We do not ship to this country.</p>;
  // Nothing chosen yet: the cheapest, which is what the server charges without a choice.
  const chosen = value && options.data.some((o) => o.id === value) ? value : options.data[0]?.id;
  return (
    <div className="stack" role="radiogroup" aria-label="Shipping option">
      {options.data.map((o) => (
        <label key={o.id} className="choice">
          <input type="radio" name="shippingOptionId" value={o.id} checked={o.id === chosen} onChange={() => onChange(o.id)} />
          <span>
            {o.name} — {o.priceCents === 0 ? "Free" : money(o.priceCents, currency)}{" "}
            <span className="muted">
              ({o.estimatedDays.min === o.estimatedDays.max ? o.estimatedDays.min : `${o.estimatedDays.min}–${o.estimatedDays.max}`} days)
            </span>
          </span>
        </label>
      ))}
    </div>
  );
}
