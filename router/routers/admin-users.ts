// admin.users.*: customers by email, and roles (the last administrator cannot be demoted).
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { findUserSummary, findUsersByEmail, setUserRole } from "../../db/admin";
import { ROLES } from "../../domain/roles";
import { refuse } from "../../domain/refusals";
import { AdminUserView } from "../views/admin";
import { Id } from "../views/common";
import { adminProcedure, router } from "../trpc";

export const usersRouter = router({
  find: adminProcedure
    .input(z.object({ email: z.string().trim().min(1).max(254), limit: z.number().int().min(1).max(50).default(20) }))
    .output(z.array(AdminUserView))
    .query(({ ctx, input }) => findUsersByEmail(ctx.db, input.email, input.limit)),

  get: adminProcedure
    .input(z.object({ id: Id }))
    .output(AdminUserView)
    .query(async ({ ctx, input }) => {
      const user = await findUserSummary(ctx.db, input.id);
      if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "No such user." });
      return user;
    }),

  setRole: adminProcedure
    .input(z.object({ userId: Id, role: z.enum(ROLES) }))
    .output(z.object({ userId: z.string(), role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      if (input.userId === ctx.user.id && input.role !== "admin") {
        throw new TRPCError({ code: "PRECONDITION_FAILED", message: "You cannot remove your own admin role." });
      }
      const updated = await setUserRole(ctx.db, input.userId, input.role);
      if (!updated) {
        if (!(await findUserSummary(ctx.db, input.userId))) throw new TRPCError({ code: "NOT_FOUND", message: "No such user." });
        throw refuse("precondition", "The shop's last administrator cannot be demoted.", "last_admin");
      }
      ctx.sessions.forgetUser(input.userId);
      return { userId: input.userId, role: input.role };
    }),
});
