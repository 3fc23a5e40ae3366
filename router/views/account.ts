// What a customer sees of their own devices (session list) and the export of their data.
import * as z from "zod";
import { ORDER_STATUSES } from "../../domain/order-status";
import { PAYMENT_STATUSES } from "../../domain/payments";
import { ROLES } from "../../domain/roles";
import { deviceLabel } from "../../domain/user-agent";
import { Timestamp } from "./common";

export const SessionView = z.object({
  /** The session (refresh-token family) id: stays the same across token rotations. */
  id: z.string(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp,
  device: z.string().meta({ description: 'From the User-Agent, e.g. "Chrome on Linux".' }),
  city: z.string().nullable(),
  country: z.string().nullable().meta({ description: "ISO 3166-1 alpha-2, as Cloudflare reported it at sign-in or the last refresh." }),
  current: z.boolean().meta({ description: "True for the session this request is signed in with." }),
});

export const toSessionView = (
  row: { id: string; createdAt: Date; lastUsedAt: Date; userAgent: string | null; city: string | null; country: string | null },
  currentFamily: string,
): z.infer<typeof SessionView> => ({
  id: row.id,
  createdAt: row.createdAt,
  lastUsedAt: row.lastUsedAt,
  device: deviceLabel(row.userAgent),
  city: row.city,
  country: row.country,
  current: row.id === currentFamily,
});

const Cents = z.number().int();

export const AccountExport = z.object({
  exportedAt: Timestamp,
  profile: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    createdAt: Timestamp,
    updatedAt: Timestamp.nullable(),
  }),
  orders: z.array(
    z.object({
      id: z.string(),
      status: z.enum(ORDER_STATUSES),
      currency: z.string(),
      subtotalCents: Cents,
      discountCents: Cents,
      shippingCents: Cents,
      totalCents: Cents,
      discountCode: z.string().nullable(),
      shippingAddress: z.unknown().meta({
        description:
          "As given at checkout; once the account is deleted only `country` is kept (the name reads 'Deleted customer', other lines '(erased)').",
      }),
      createdAt: Timestamp,
      updatedAt: Timestamp.nullable(),
      lines: z.array(z.object({ productId: z.string(), name: z.string(), unitPriceCents: Cents, quantity: z.number().int() })),
      payments: z.array(z.object({ provider: z.string(), amountCents: Cents, status: z.enum(PAYMENT_STATUSES), createdAt: Timestamp })),
    }),
  ),
  reviews: z.array(z.object({ id: z.string(), productId: z.string(), rating: z.number().int(), body: z.string(), createdAt: Timestamp })),
  cart: z.array(z.object({ productId: z.string(), quantity: z.number().int(), addedPriceCents: Cents, createdAt: Timestamp })),
  sessions: z.array(
    z.object({
      familyId: z.string(),
      createdAt: Timestamp,
      expiresAt: Timestamp,
      revokedAt: Timestamp.nullable(),
      userAgent: z.string().nullable(),
      ip: z.string().nullable(),
      city: z.string().nullable(),
      country: z.string().nullable(),
    }),
  ),
});
