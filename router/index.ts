// The whole API: one router per domain. Clients import only the AppRouter type.
import { adminRouter } from "./admin";
import { authRouter } from "./auth";
import { cartRouter } from "./cart";
import { catalogRouter } from "./catalog";
import { checkoutRouter } from "./checkout";
import { ordersRouter } from "./orders";
import { reviewsRouter } from "./reviews";
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
