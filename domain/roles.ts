// Who a user is to the shop: a customer (the default) or an administrator.
export const ROLES = ["customer", "admin"] as const;
export type Role = (typeof ROLES)[number];
