// Queries on users.
import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { users, type User } from "./schema";

export const findUserByEmail = (db: Db, email: string) => db.select().from(users).where(eq(users.email, email)).get();

export const findUserById = (db: Db, id: string) => db.select().from(users).where(eq(users.id, id)).get();

export const insertUserQuery = (db: Db, row: typeof users.$inferInsert) => db.insert(users).values(row);

export const setPasswordHashQuery = (db: Db, id: string, passwordHash: string) =>
  db.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, id));

/** The fields a user may see about themselves; never the password hash. */
export const toPublicUser = (u: Pick<User, "id" | "email" | "name" | "role" | "emailVerified" | "createdAt">) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  emailVerified: u.emailVerified,
  createdAt: u.createdAt,
});
