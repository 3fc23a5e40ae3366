// The whole API: one router per domain. Clients import only the AppRouter type.
import { authRouter } from "./auth";
import { router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
});

export type AppRouter = typeof appRouter;
