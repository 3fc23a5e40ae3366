// cart.*: the signed-in customer's own cart. Every call returns the cart as it now stands.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { DISCOUNT_REFUSAL_MESSAGE, discountRefusal, normaliseCode } from "../../domain/discounts";
import {
  addLineStatement,
  ensureCartStatement,
  findDiscountForUserStatement,
  MAX_CART_LINES,
  readCartStatements,
  removeLineStatement,
  setCartDiscountStatement,
  setLineQuantityStatement,
  writeThenReadCart,
  type CartDiscountRow,
  type CartLineRow,
} from "../../db/carts";
import { isCheckViolation } from "../../db/client";
import { refuse } from "../refusal";
import { CartView, priceCartRows, toCartView, toDiscountRule } from "../views/cart";
import { Id } from "../views/common";
import { authedProcedure, router } from "../trpc";

const Quantity = z.number().int().min(1).max(99);
const WRITE_LIMIT = { rateLimit: { key: "user", limit: 120, windowSeconds: 60 } } as const;

export const cartRouter = router({
  get: authedProcedure.output(CartView).query(async ({ ctx }) => {
    const { lines, discount } = await writeThenReadCart(ctx.db.$client, ctx.user.id, []);
    return toCartView(lines, discount, ctx.config);
  }),

  addItem: authedProcedure
    .meta(WRITE_LIMIT)
    .input(z.object({ productId: Id, quantity: Quantity }))
    .output(CartView)
    .mutation(async ({ ctx, input }) => {
      const d1 = ctx.db.$client;
      let result;
      try {
        result = await writeThenReadCart(d1, ctx.user.id, [
          ensureCartStatement(d1, ctx.user.id),
          addLineStatement(d1, ctx.user.id, input.productId, input.quantity),
        ]);
      } catch (error) {
        if (isCheckViolation(error, "cart_lines_quantity")) {
          throw new TRPCError({ code: "BAD_REQUEST", message: "A cart line holds at most 99 of a product." });
        }
        throw error;
      }
      if (result.writes[1].meta.changes === 0) {
        const inCart = result.lines.length >= MAX_CART_LINES;
        throw new TRPCError(
          inCart
            ? { code: "PRECONDITION_FAILED", message: `A cart holds at most ${MAX_CART_LINES} different products.` }
            : { code: "NOT_FOUND", message: "No such product." },
        );
      }
      return toCartView(result.lines, result.discount, ctx.config);
    }),

  updateItem: authedProcedure
    .meta(WRITE_LIMIT)
    .input(z.object({ productId: Id, quantity: z.number().int().min(0).max(99) }))
    .output(CartView)
    .mutation(async ({ ctx, input }) => {
      const d1 = ctx.db.$client;
      const write =
        input.quantity === 0
          ? removeLineStatement(d1, ctx.user.id, input.productId)
          : setLineQuantityStatement(d1, ctx.user.id, input.productId, input.quantity);
      const result = await writeThenReadCart(d1, ctx.user.id, [write]);
      if (result.writes[0].meta.changes === 0 && input.quantity > 0) {
        throw new TRPCError({ code: "NOT_FOUND", message: "This product is not in your cart." });
      }
      return toCartView(result.lines, result.discount, ctx.config);
    }),

  removeItem: authedProcedure
    .meta(WRITE_LIMIT)
    .input(z.object({ productId: Id }))
    .output(CartView)
    .mutation(async ({ ctx, input }) => {
      const d1 = ctx.db.$client;
      const result = await writeThenReadCart(d1, ctx.user.id, [removeLineStatement(d1, ctx.user.id, input.productId)]);
      return toCartView(result.lines, result.discount, ctx.config);
    }),

  applyDiscount: authedProcedure
    .meta(WRITE_LIMIT)
    .input(z.object({ code: z.string().trim().min(1).max(40) }))
    .output(CartView)
    .mutation(async ({ ctx, input }) => {
      const d1 = ctx.db.$client;
      const code = normaliseCode(input.code);
      const [linesResult, , found] = await d1.batch([
        ...readCartStatements(d1, ctx.user.id),
        findDiscountForUserStatement(d1, ctx.user.id, code),
      ]);
      const lines = linesResult.results as unknown as CartLineRow[];
      const discount = (found.results[0] as unknown as CartDiscountRow | undefined) ?? undefined;
      const { subtotalCents } = priceCartRows(lines, null, ctx.config);
      const refusal = discountRefusal(discount && toDiscountRule(discount), {
        subtotalCents,
        now: new Date(),
        usedByCustomer: (discount?.usedByCustomer ?? 0) > 0,
      });
      if (refusal) throw refuse("PRECONDITION_FAILED", DISCOUNT_REFUSAL_MESSAGE[refusal], refusal);
      const result = await writeThenReadCart(d1, ctx.user.id, [ensureCartStatement(d1, ctx.user.id), setCartDiscountStatement(d1, ctx.user.id, code)]);
      return toCartView(result.lines, result.discount, ctx.config);
    }),

  removeDiscount: authedProcedure
    .meta(WRITE_LIMIT)
    .output(CartView)
    .mutation(async ({ ctx }) => {
      const d1 = ctx.db.$client;
      const result = await writeThenReadCart(d1, ctx.user.id, [setCartDiscountStatement(d1, ctx.user.id, null)]);
      return toCartView(result.lines, result.discount, ctx.config);
    }),
});
