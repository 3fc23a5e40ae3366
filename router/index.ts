// The whole API: one router per domain. Clients import only the AppRouter type.
import { lazy } from "@trpc/server";
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
  // The back office: a few admins' requests need it, so a new isolate does not build its
  // procedures and schemas until the first admin call (tRPC loads it by path). esbuild keeps the
  // dynamic import in the one bundle, as a module evaluated on first use.
  admin: lazy(() => import("./routers/admin").then((m) => m.adminRouter)),
});

export type AppRouter = typeof appRouter;

/**
 * Loads every lazy router, so `_def.procedures` lists every procedure: for what walks the whole
 * API (the OpenAPI generator, the tests' procedure lists), never for serving a request.
 */
export async function loadAllRouters(): Promise<void> {
  for (;;) {
    const [loader] = Object.values(appRouter._def.lazy);
    if (!loader) return;
    await loader.load();
  }
}
