// The order mails as pure templates (subject, HTML and plain text), the escaping every
// user-supplied value goes through, and the rule that nothing becoming a header carries CR or LF.
import { NOTIFICATION_KINDS } from "./outbox";

/** The mails an event owes: a customer's for each order event, the admins' for a refund that failed. */
export const MAIL_KINDS = [...NOTIFICATION_KINDS, "refund.failed"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

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
