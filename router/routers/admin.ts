// admin.*: catalog, stock, discounts, order fulfilment, customers and roles, sales. Admins only (FORBIDDEN else).
import { router } from "../trpc";
import { discountsRouter } from "./admin-discounts";
import { adminOrdersRouter } from "./admin-orders";
import { productsRouter } from "./admin-products";
import { salesRouter } from "./admin-sales";
import { usersRouter } from "./admin-users";
import { variantsRouter } from "./admin-variants";

export const adminRouter = router({
  products: productsRouter,
  variants: variantsRouter,
  discounts: discountsRouter,
  orders: adminOrdersRouter,
  users: usersRouter,
  sales: salesRouter,
});
