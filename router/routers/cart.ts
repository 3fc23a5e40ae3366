// cart.*: the signed-in customer's own cart. Every call returns the cart as it now stands.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { DISCOUNT_REFUSAL_MESSAGE, discountRefusal, normaliseCode } from "../../domain/discounts";
import { addLine, MAX_CART_LINES, readCart, readCartAndDiscount, removeLine, setCartDiscount, setLineQuantity } from "../../db/carts";
import { isCheckViolation } from "../../db/client";
import { addability } from "../../db/variants";
import { refuse } from "../../domain/refusals";
import { priceCartRows, toDiscountRule } from "../../services/cart-pricing";
import { CartView, toCartView } from "../views/cart";
import { Id, ShippingQuoteView } from "../views/common";
import { DestinationInput } from "../views/order";
import { authedProcedure, router } from "../trpc";

const MAX_LINE_QUANTITY = 99;
const Quantity = z.number().int().min(1).max(MAX_LINE_QUANTITY);
const WRITE_LIMIT = { rateLimit: { key: "user", limit: 120, windowSeconds: 60 } } as const;

export const cartRouter = router({
  get: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/cart",
        tags: ["cart"],
        summary: "The cart with current prices, discount, shipping, tax and warnings; for a destination when one is named.",
        protect: true,
        refusals: { 400: "Invalid input, or a region that names no state where tax is set per state (`data.reason = unknown_region`)." },
      },
    })
    // Optional: clients written before destinations existed call it without input.
    .input(
      z
        .object({ ...DestinationInput, shippingOptionId: Id.optional() })
        .partial()
        .optional(),
    )
    .output(CartView)
    .query(async ({ ctx, input }) => {
      const country = input?.country ?? null;
      const cart = await readCart(ctx.db, ctx.user.id, country);
      return toCartView(cart, ctx, { country, region: input?.region, shippingOptionId: input?.shippingOptionId });
    }),

  shippingOptions: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/cart/shipping-options",
        tags: ["cart"],
        summary: "The shipping options for the cart to a country, cheapest first, with their prices for this cart.",
        protect: true,
      },
    })
    .input(z.object(DestinationInput))
    .output(z.array(ShippingQuoteView))
    .query(async ({ ctx, input }) => {
      const cart = await readCart(ctx.db, ctx.user.id, input.country);
      // Shipping's price does not depend on tax: the region only has to be one we know.
      return priceCartRows(cart, ctx.config, new Date(ctx.now()), { country: input.country, region: input.region }).shippingOptions;
    }),

  addItem: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/cart/items",
        tags: ["cart"],
        summary: "Add a product's variant (merged with an existing line); `variantId` may be left out for a product sold as one.",
        protect: true,
        refusals: {
          400: "Invalid input, the merged line would hold more than 99 (`data.reason = line_quantity_limit`), or the variant is missing where the product has several, or is another product's (`data.reason = variant_unavailable`).",
          404: "No such product (absent or archived).",
          412: "The cart already holds as many lines as it can (`data.reason = cart_full`), or the variant is no longer sold (`data.reason = variant_unavailable`).",
        },
      },
    })
    .meta(WRITE_LIMIT)
    .input(z.object({ productId: Id, variantId: Id.optional(), quantity: Quantity }))
    .output(CartView)
    .mutation(async ({ ctx, input }) => {
      const variantId = input.variantId ?? null;
      const result = await addLine(ctx.db, ctx.user.id, input.productId, variantId, input.quantity).catch((error: unknown) => {
        // The merged line would pass 99: the input is valid, the line's limit refuses it.
        if (isCheckViolation(error, "cart_lines_quantity")) {
          throw refuse("rejected_input", `A cart line holds at most ${MAX_LINE_QUANTITY} of a product.`, "line_quantity_limit");
        }
        throw error;
      });
      if (!result.added) {
        // Only on refusal: one more read to say why.
        const { product, variant, activeVariants } = await addability(ctx.db, input.productId, variantId);
        if (!product || product.status !== "active") throw new TRPCError({ code: "NOT_FOUND", message: "No such product." });
        if (variantId === null) {
          if (activeVariants === 0) throw refuse("precondition", "This product is not sold in any variant now.", "variant_unavailable");
          if (activeVariants > 1) {
            throw refuse("rejected_input", "This product comes in several variants: choose one (variantId).", "variant_unavailable");
          }
        } else if (variant?.productId !== input.productId) {
          throw refuse("rejected_input", "This variant is not one of this product's.", "variant_unavailable");
        } else if (variant.status !== "active") {
          throw refuse("precondition", "This variant is no longer sold.", "variant_unavailable");
        }
        if (result.cart.lines.length >= MAX_CART_LINES) {
          throw refuse("precondition", `A cart holds at most ${MAX_CART_LINES} lines.`, "cart_full");
        }
        throw new TRPCError({ code: "NOT_FOUND", message: "No such product." });
      }
      return toCartView(result.cart, ctx);
    }),

  updateItem: authedProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/cart/items/{productId}",
        tags: ["cart"],
        summary: "Set a line's quantity (0 removes it); `variantId` names one of the product's lines, else all of them.",
        protect: true,
        refusals: { 404: "This product is not in your cart." },
      },
    })
    .meta(WRITE_LIMIT)
    .input(z.object({ productId: Id, variantId: Id.optional(), quantity: z.number().int().min(0).max(MAX_LINE_QUANTITY) }))
    .output(CartView)
    .mutation(async ({ ctx, input }) => {
      const variantId = input.variantId ?? null;
      if (input.quantity === 0) return toCartView(await removeLine(ctx.db, ctx.user.id, input.productId, variantId), ctx);
      const result = await setLineQuantity(ctx.db, ctx.user.id, input.productId, variantId, input.quantity);
      if (!result.changed) throw new TRPCError({ code: "NOT_FOUND", message: "This product is not in your cart." });
      return toCartView(result.cart, ctx);
    }),

  removeItem: authedProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/cart/items/{productId}",
        tags: ["cart"],
        summary: "Remove a product's lines, or with `variantId` that variant's line.",
        protect: true,
      },
    })
    .meta(WRITE_LIMIT)
    .input(z.object({ productId: Id, variantId: Id.optional() }))
    .output(CartView)
    .mutation(async ({ ctx, input }) => toCartView(await removeLine(ctx.db, ctx.user.id, input.productId, input.variantId ?? null), ctx)),

  applyDiscount: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/cart/discount",
        tags: ["cart"],
        summary: "Apply a discount code (validated now).",
        protect: true,
        refusals: {
          412: "The code cannot be applied now; `data.reason` says why (unknown, not_started, expired, below_minimum, used_up, already_used).",
        },
      },
    })
    .meta(WRITE_LIMIT)
    .input(z.object({ code: z.string().trim().min(1).max(40) }))
    .output(CartView)
    .mutation(async ({ ctx, input }) => {
      const code = normaliseCode(input.code);
      const { lines, discount, destination } = await readCartAndDiscount(ctx.db, ctx.user.id, code);
      const { subtotalCents } = priceCartRows({ lines, discount: null, destination }, ctx.config, new Date(ctx.now()));
      const refusal = discountRefusal(discount ? toDiscountRule(discount) : undefined, {
        subtotalCents,
        now: new Date(ctx.now()),
        usedByCustomer: (discount?.usedByCustomer ?? 0) > 0,
      });
      if (refusal) throw refuse("precondition", DISCOUNT_REFUSAL_MESSAGE[refusal], refusal);
      return toCartView(await setCartDiscount(ctx.db, ctx.user.id, code, ctx.now()), ctx);
    }),

  removeDiscount: authedProcedure
    .meta({ openapi: { method: "DELETE", path: "/cart/discount", tags: ["cart"], summary: "Remove the discount code.", protect: true } })
    .meta(WRITE_LIMIT)
    .output(CartView)
    .mutation(async ({ ctx }) => toCartView(await setCartDiscount(ctx.db, ctx.user.id, null, ctx.now()), ctx)),
});
