// cart.*: the signed-in customer's own cart. Every call returns the cart as it now stands.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { DISCOUNT_REFUSAL_MESSAGE, discountRefusal, normaliseCode } from "../../domain/discounts";
import { addLine, MAX_CART_LINES, readCart, readCartAndDiscount, removeLine, setCartDiscount, setLineQuantity } from "../../db/carts";
import { isCheckViolation } from "../../db/client";
import { refuse } from "../../services/refusal";
import { priceCartRows, toDiscountRule } from "../../services/cart-pricing";
import { CartView, toCartView } from "../views/cart";
import { Id } from "../views/common";
import { authedProcedure, router } from "../trpc";

const Quantity = z.number().int().min(1).max(99);
const WRITE_LIMIT = { rateLimit: { key: "user", limit: 120, windowSeconds: 60 } } as const;

export const cartRouter = router({
  get: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/cart",
        tags: ["cart"],
        summary: "The cart with current prices, discount, shipping and warnings.",
        protect: true,
      },
    })
    .output(CartView)
    .query(async ({ ctx }) => toCartView(await readCart(ctx.db, ctx.user.id), ctx)),

  addItem: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/cart/items",
        tags: ["cart"],
        summary: "Add a product (merged with an existing line).",
        protect: true,
      },
    })
    .meta(WRITE_LIMIT)
    .input(z.object({ productId: Id, quantity: Quantity }))
    .output(CartView)
    .mutation(async ({ ctx, input }) => {
      const result = await addLine(ctx.db, ctx.user.id, input.productId, input.quantity).catch((error: unknown) => {
        if (isCheckViolation(error, "cart_lines_quantity")) {
          throw new TRPCError({ code: "BAD_REQUEST", message: "A cart line holds at most 99 of a product." });
        }
        throw error;
      });
      if (!result.added) {
        throw new TRPCError(
          result.cart.lines.length >= MAX_CART_LINES
            ? { code: "PRECONDITION_FAILED", message: `A cart holds at most ${MAX_CART_LINES} different products.` }
            : { code: "NOT_FOUND", message: "No such product." },
        );
      }
      return toCartView(result.cart, ctx);
    }),

  updateItem: authedProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/cart/items/{productId}",
        tags: ["cart"],
        summary: "Set a line's quantity (0 removes it).",
        protect: true,
      },
    })
    .meta(WRITE_LIMIT)
    .input(z.object({ productId: Id, quantity: z.number().int().min(0).max(99) }))
    .output(CartView)
    .mutation(async ({ ctx, input }) => {
      if (input.quantity === 0) return toCartView(await removeLine(ctx.db, ctx.user.id, input.productId), ctx);
      const result = await setLineQuantity(ctx.db, ctx.user.id, input.productId, input.quantity);
      if (!result.changed) throw new TRPCError({ code: "NOT_FOUND", message: "This product is not in your cart." });
      return toCartView(result.cart, ctx);
    }),

  removeItem: authedProcedure
    .meta({ openapi: { method: "DELETE", path: "/cart/items/{productId}", tags: ["cart"], summary: "Remove a line.", protect: true } })
    .meta(WRITE_LIMIT)
    .input(z.object({ productId: Id }))
    .output(CartView)
    .mutation(async ({ ctx, input }) => toCartView(await removeLine(ctx.db, ctx.user.id, input.productId), ctx)),

  applyDiscount: authedProcedure
    .meta({
      openapi: { method: "POST", path: "/cart/discount", tags: ["cart"], summary: "Apply a discount code (validated now).", protect: true },
    })
    .meta(WRITE_LIMIT)
    .input(z.object({ code: z.string().trim().min(1).max(40) }))
    .output(CartView)
    .mutation(async ({ ctx, input }) => {
      const code = normaliseCode(input.code);
      const { lines, discount } = await readCartAndDiscount(ctx.db, ctx.user.id, code);
      const { subtotalCents } = priceCartRows({ lines, discount: null }, ctx.config, new Date(ctx.now()));
      const refusal = discountRefusal(discount ? toDiscountRule(discount) : undefined, {
        subtotalCents,
        now: new Date(ctx.now()),
        usedByCustomer: (discount?.usedByCustomer ?? 0) > 0,
      });
      if (refusal) throw refuse("PRECONDITION_FAILED", DISCOUNT_REFUSAL_MESSAGE[refusal], refusal);
      return toCartView(await setCartDiscount(ctx.db, ctx.user.id, code, ctx.now()), ctx);
    }),

  removeDiscount: authedProcedure
    .meta({ openapi: { method: "DELETE", path: "/cart/discount", tags: ["cart"], summary: "Remove the discount code.", protect: true } })
    .meta(WRITE_LIMIT)
    .output(CartView)
    .mutation(async ({ ctx }) => toCartView(await setCartDiscount(ctx.db, ctx.user.id, null, ctx.now()), ctx)),
});
