// A discount rule for unit tests: a 10 % code with no limits, overridden field by field.
import type { DiscountRule } from "../../domain/discounts";

export const discountRule = (over: Partial<DiscountRule> = {}): DiscountRule => ({
  kind: "percent",
  value: 10,
  minSubtotalCents: null,
  startsAt: null,
  endsAt: null,
  maxRedemptions: null,
  redemptions: 0,
  onePerCustomer: false,
  active: true,
  ...over,
});
