// When a discount code applies, and how much it takes off. Money is integer cents throughout.
export const DISCOUNT_KINDS = ["percent", "fixed"] as const;
export type DiscountKind = (typeof DISCOUNT_KINDS)[number];

export interface DiscountRule {
  kind: DiscountKind;
  value: number;
  minSubtotalCents: number | null;
  startsAt: Date | null;
  endsAt: Date | null;
  maxRedemptions: number | null;
  redemptions: number;
  onePerCustomer: boolean;
  active: boolean;
}

export const DISCOUNT_REFUSALS = ["unknown", "not_started", "expired", "below_minimum", "used_up", "already_used"] as const;
export type DiscountRefusal = (typeof DISCOUNT_REFUSALS)[number];

export const DISCOUNT_REFUSAL_MESSAGE: Record<DiscountRefusal, string> = {
  unknown: "This discount code does not exist.",
  not_started: "This discount code is not valid yet.",
  expired: "This discount code has expired.",
  below_minimum: "Your subtotal is below this code's minimum.",
  used_up: "This discount code has been used up.",
  already_used: "You have already used this discount code.",
};

/** Why a code cannot be used now, or null when it can. */
export function discountRefusal(
  rule: DiscountRule | undefined,
  ctx: { subtotalCents: number; now: Date; usedByCustomer: boolean },
): DiscountRefusal | null {
  if (!rule || !rule.active) return "unknown";
  if (rule.startsAt && ctx.now < rule.startsAt) return "not_started";
  if (rule.endsAt && ctx.now >= rule.endsAt) return "expired";
  if (rule.maxRedemptions !== null && rule.redemptions >= rule.maxRedemptions) return "used_up";
  if (rule.onePerCustomer && ctx.usedByCustomer) return "already_used";
  if (rule.minSubtotalCents !== null && ctx.subtotalCents < rule.minSubtotalCents) return "below_minimum";
  return null;
}

/**
 * The amount a discount takes off a subtotal. Percentages round half up to the cent
 * (10% of 1,005 is 101); the result never exceeds the subtotal, so no total goes negative.
 */
export function discountAmount(rule: Pick<DiscountRule, "kind" | "value">, subtotalCents: number): number {
  const raw = rule.kind === "percent" ? Math.floor((subtotalCents * rule.value + 50) / 100) : rule.value;
  return Math.max(0, Math.min(raw, subtotalCents));
}

/** Codes are matched case-insensitively and stored upper-case. */
export const normaliseCode = (code: string) => code.trim().toUpperCase();
