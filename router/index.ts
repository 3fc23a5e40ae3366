// The whole API: one router per domain. Clients import only the AppRouter type.
import { adminRouter } from "./routers/admin";
import { authRouter } from "./routers/auth";
import { cartRouter } from "./routers/cart";
import { catalogRouter } from "./routers/catalog";
import { checkoutRouter } from "./routers/checkout";
import { ordersRouter } from "./routers/orders";
import { reviewsRouter } from "./routers/reviews";
import { router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  catalog: catalogRouter,
  reviews: reviewsRouter,
  cart: cartRouter,
  checkout: checkoutRouter,
  orders: ordersRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
