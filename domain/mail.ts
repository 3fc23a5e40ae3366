// The order mails as pure templates (subject, HTML and plain text), the escaping every
// user-supplied value goes through, and the rule that nothing becoming a header carries CR or LF.
import { NOTIFICATION_KINDS } from "./outbox";

/** The mails an event owes: a customer's for each order event, the admins' for a refund that failed. */
export const MAIL_KINDS = [...NOTIFICATION_KINDS, "refund.failed"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/**
 * The account mails: a verification link, a reset link, the new address's confirmation link, and
 * the notices "password changed" and "e-mail address changed" (the latter to the old address).
 */
export const ACCOUNT_MAIL_KINDS = ["email.verify", "password.reset", "email.change", "password.changed", "email.changed"] as const;
export type AccountMailKind = (typeof ACCOUNT_MAIL_KINDS)[number];

/** One message as every sender takes it (Cloudflare Email Service's `send` shape). */
export interface MailMessage {
  /** The display name and address; Email Service writes the From header from them. */
  from: { name: string; email: string };
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** Who the shop is, from configuration: the sender and the footer of every mail. */
export interface ShopIdentity {
  name: string;
  /** The postal address printed in the footer, one line per entry. */
  address: readonly string[];
  /** The sender's address (an address on a domain onboarded to Email Service). */
  fromAddress: string;
}

export interface MailAddress {
  name: string;
  line1: string;
  line2?: string | undefined;
  city: string;
  region?: string | undefined;
  postalCode: string;
  country: string;
}

export interface MailOrder {
  id: string;
  /** A cancelled order's payment is being (or was) refunded; false when nothing stood to refund. */
  refunding: boolean;
  currency: string;
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  totalCents: number;
  shippingAddress: MailAddress;
  lines: readonly { name: string; unitPriceCents: number; quantity: number }[];
}

export interface MailRecipient {
  email: string;
  name: string;
}

/** A value that would become a mail header held CR or LF (header injection), or was empty. */
export class MailHeaderError extends Error {
  readonly header: string;
  constructor(header: string) {
    super(`Refused a mail whose ${header} header holds a line break or is empty.`);
    this.name = "MailHeaderError";
    this.header = header;
  }
}

// CR, LF and the other line terminators a mail library might honour (NEL, LS, PS); NUL is
// refused apart (a character class with it trips the control-character lint).
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/;
const LINE_BREAKS = /[\r\n\u0085\u2028\u2029]+/g;

/** Refuses a header value with a line break in it: such a value could add headers (Bcc) or a body. */
export function headerValue(header: string, value: string): string {
  if (value.trim() === "" || LINE_BREAK.test(value) || value.includes("\0")) throw new MailHeaderError(header);
  return value;
}

/** Checks every header of a message before any sender sees it. */
export function checkedMessage(message: MailMessage): MailMessage {
  headerValue("from", message.from.name);
  headerValue("from", message.from.email);
  headerValue("to", message.to);
  headerValue("subject", message.subject);
  return message;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/** Header-safe text from a user-supplied value: line breaks become spaces. */
const oneLine = (value: string) => value.replace(LINE_BREAKS, " ").replaceAll("\0", "").trim();

export const formatMoney = (cents: number, currency: string) =>
  new Intl.NumberFormat("en", { style: "currency", currency }).format(cents / 100);

const addressLines = (a: MailAddress) =>
  [a.name, a.line1, a.line2, [a.postalCode, a.city].join(" "), a.region, a.country].filter((l): l is string => !!l);

interface Body {
  subject: string;
  /** Paragraphs of plain text; each is escaped for the HTML part. */
  paragraphs: readonly string[];
  order: MailOrder;
  showAddress?: boolean;
}

function render(shop: ShopIdentity, to: string, body: Body): MailMessage {
  const { order } = body;
  const money = (cents: number) => formatMoney(cents, order.currency);
  const text: string[] = [...body.paragraphs];
  const html: string[] = body.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`);
  const rows = order.lines.map((l) => ({ name: l.name, quantity: l.quantity, amount: money(l.unitPriceCents * l.quantity) }));
  const totals: [string, string][] = [["Subtotal", money(order.subtotalCents)]];
  if (order.discountCents > 0) totals.push(["Discount", `-${money(order.discountCents)}`]);
  totals.push(["Shipping", money(order.shippingCents)], ["Total", money(order.totalCents)]);
  text.push(
    rows.map((r) => `${r.quantity} × ${r.name}: ${r.amount}`).join("\n"),
    totals.map(([label, amount]) => `${label}: ${amount}`).join("\n"),
  );
  html.push(
    "<table>" +
      rows.map((r) => `<tr><td>${r.quantity} ×</td><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.amount)}</td></tr>`).join("") +
      totals.map(([label, amount]) => `<tr><th colspan="2">${label}</th><td>${escapeHtml(amount)}</td></tr>`).join("") +
      "</table>",
  );
  if (body.showAddress) {
    const lines = addressLines(order.shippingAddress);
    text.push(`Shipping to:\n${lines.join("\n")}`);
    html.push(`<p>Shipping to:<br>${lines.map(escapeHtml).join("<br>")}</p>`);
  }
  text.push(`${shop.name}\n${shop.address.join("\n")}`);
  html.push(`<hr><p>${[shop.name, ...shop.address].map(escapeHtml).join("<br>")}</p>`);
  const { subject } = body;
  return checkedMessage({
    from: { name: shop.name, email: shop.fromAddress },
    to,
    subject,
    text: text.join("\n\n") + "\n",
    html: `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${html.join("")}</body></html>`,
  });
}

const shortId = (orderId: string) => orderId.slice(0, 8);

/** The customer's mail for an order event. */
export function orderMail(kind: Exclude<MailKind, "refund.failed">, shop: ShopIdentity, to: MailRecipient, order: MailOrder): MailMessage {
  const hello = `Hello ${oneLine(to.name)},`;
  const ref = shortId(order.id);
  switch (kind) {
    case "order.paid":
      return render(shop, to.email, {
        subject: `${oneLine(shop.name)}: order ${ref} confirmed`,
        paragraphs: [hello, `Thank you for your order ${order.id}. Your payment was received; we will let you know when it ships.`],
        order,
        showAddress: true,
      });
    case "order.shipped":
      return render(shop, to.email, {
        subject: `${oneLine(shop.name)}: order ${ref} has shipped`,
        paragraphs: [hello, `Your order ${order.id} has shipped.`],
        order,
        showAddress: true,
      });
    case "order.cancelled":
      return render(shop, to.email, {
        subject: `${oneLine(shop.name)}: order ${ref} cancelled`,
        paragraphs: [
          hello,
          order.refunding
            ? `Your order ${order.id} was cancelled. The ${formatMoney(order.totalCents, order.currency)} you paid is being refunded to your original payment method.`
            : `Your order ${order.id} was cancelled.`,
        ],
        order,
      });
  }
}

/** The admins' mail for a refund that failed for good: someone must refund by hand. */
export function refundFailedMail(shop: ShopIdentity, to: MailRecipient, order: MailOrder, reason: string): MailMessage {
  return render(shop, to.email, {
    subject: `${oneLine(shop.name)}: refund failed for order ${shortId(order.id)}`,
    paragraphs: [
      `The refund of ${formatMoney(order.totalCents, order.currency)} for the cancelled order ${order.id} failed: ${oneLine(reason)}.`,
      "The payment is marked refund_failed in the back office; refund it by hand at the payment provider.",
    ],
    order,
  });
}

/** What an account mail says beyond its kind: the link it carries, or the new address. */
export type AccountMailDetail =
  | { kind: "email.verify" | "password.reset" | "email.change"; link: string }
  | { kind: "password.changed" }
  | { kind: "email.changed"; newEmail: string };

function renderAccount(shop: ShopIdentity, to: string, subject: string, paragraphs: readonly string[], link?: string): MailMessage {
  const text = [...paragraphs];
  const html = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`);
  if (link) {
    text.splice(2, 0, link);
    html.splice(2, 0, `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`);
  }
  text.push(`${shop.name}\n${shop.address.join("\n")}`);
  html.push(`<hr><p>${[shop.name, ...shop.address].map(escapeHtml).join("<br>")}</p>`);
  return checkedMessage({
    from: { name: shop.name, email: shop.fromAddress },
    to,
    subject,
    text: text.join("\n\n") + "\n",
    // no-referrer: a link followed from a webmail page carries nothing of this mail along.
    html: `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>${escapeHtml(subject)}</title></head><body>${html.join("")}</body></html>`,
  });
}

/** The mail about an account: its links to the web app, or a notice of a change. */
export function accountMail(detail: AccountMailDetail, shop: ShopIdentity, to: MailRecipient): MailMessage {
  const hello = `Hello ${oneLine(to.name)},`;
  const shopName = oneLine(shop.name);
  const notYou = "If this was not you, ignore this mail: nothing changes until the link is opened.";
  switch (detail.kind) {
    case "email.verify":
      return renderAccount(
        shop,
        to.email,
        `${shopName}: confirm your e-mail address`,
        [hello, `Open this link to confirm that ${to.email} is your address (it works for 24 hours):`, notYou],
        detail.link,
      );
    case "email.change":
      return renderAccount(
        shop,
        to.email,
        `${shopName}: confirm your new e-mail address`,
        [hello, `Open this link to make ${to.email} your account's address (it works for 24 hours):`, notYou],
        detail.link,
      );
    case "password.reset":
      return renderAccount(
        shop,
        to.email,
        `${shopName}: reset your password`,
        [
          hello,
          "Someone asked to reset the password of your account. Open this link to choose a new one (it works for 30 minutes, once):",
          "If you did not ask, ignore this mail: your password stays as it is.",
        ],
        detail.link,
      );
    case "password.changed":
      return renderAccount(shop, to.email, `${shopName}: your password was changed`, [
        hello,
        "The password of your account was just changed, and every other session was signed out.",
        'If this was not you, reset your password now with "Forgot password" on the sign-in page, and tell us.',
      ]);
    case "email.changed":
      return renderAccount(shop, to.email, `${shopName}: your e-mail address was changed`, [
        hello,
        `Your account's e-mail address was changed to ${oneLine(detail.newEmail)}; mails now go there, not here.`,
        "If this was not you, contact us straight away.",
      ]);
  }
}
