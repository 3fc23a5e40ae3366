// The order mail templates as pure functions: escaping, header refusal, what each mail says.
import { describe, expect, it } from "vitest";
import {
  accountMail,
  checkedMessage,
  escapeHtml,
  formatMoney,
  headerValue,
  MailHeaderError,
  orderMail,
  refundFailedMail,
  type MailOrder,
} from "./mail";

const shop = { name: "Test Shop", address: ["1 Test Street", "London"], fromAddress: "shop@example.test" };
const customer = { email: "ada@example.test", name: "Ada" };
const order: MailOrder = {
  id: "0123456789abcdef",
  refunding: true,
  currency: "USD",
  subtotalCents: 2500,
  discountCents: 0,
  shippingCents: 499,
  totalCents: 2999,
  shippingAddress: { name: "Ada Lovelace", line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB" },
  lines: [{ name: "Mug", unitPriceCents: 1250, quantity: 2 }],
};

describe("escapeHtml", () => {
  it.each([
    ["<script>", "&lt;script&gt;"],
    [`"quoted"`, "&quot;quoted&quot;"],
    ["it's", "it&#39;s"],
    ["a & b", "a &amp; b"],
    ["plain", "plain"],
  ])("%s → %s", (value, escaped) => expect(escapeHtml(value)).toBe(escaped));
});

describe("headerValue", () => {
  it.each([["a\r\nBcc: x"], ["a\nb"], ["a\rb"], ["a\u0085b"], ["a\u2028b"], ["a\u2029b"], ["a\0b"], [""], ["  "]])(
    "refuses %j",
    (value) => {
      expect(() => headerValue("subject", value)).toThrow(MailHeaderError);
    },
  );

  it("passes a one-line value through", () => expect(headerValue("subject", "Order 1 confirmed")).toBe("Order 1 confirmed"));

  it("says what it refused", () => {
    expect(() => headerValue("subject", "a\nb")).toThrow(
      expect.objectContaining({ name: "MailHeaderError", message: "Refused a mail whose subject header holds a line break or is empty." }),
    );
  });

  it("names the header it refused", () => {
    const ok = { from: { name: "Shop", email: "a@b.c" }, to: "x@y.z", subject: "s", html: "", text: "" };
    expect(checkedMessage(ok)).toBe(ok);
    expect(() => checkedMessage({ ...ok, from: { name: "Shop", email: "a@b.c\nBcc: q@r.s" } })).toThrow(
      expect.objectContaining({ header: "from" }),
    );
    expect(() => checkedMessage({ ...ok, subject: "s\r\nBcc: q@r.s" })).toThrow(expect.objectContaining({ header: "subject" }));
    expect(() =>
      checkedMessage({ from: { name: "Shop", email: "a@b.c" }, to: "x@y.z\r\nBcc: q@r.s", subject: "s", html: "", text: "" }),
    ).toThrow(expect.objectContaining({ header: "to" }));
    expect(() => checkedMessage({ from: { name: "Shop\n", email: "a@b.c" }, to: "x@y.z", subject: "s", html: "", text: "" })).toThrow(
      expect.objectContaining({ header: "from" }),
    );
  });
});

describe("orderMail", () => {
  it("confirms with lines, totals, address and the shop's footer", () => {
    const mail = orderMail("order.paid", shop, customer, {
      ...order,
      lines: [...order.lines, { name: "Tea", unitPriceCents: 300, quantity: 1 }],
    });
    expect(mail).toMatchObject({
      from: { name: "Test Shop", email: "shop@example.test" },
      to: "ada@example.test",
      subject: "Test Shop: order 01234567 confirmed",
    });
    expect(mail.text).toBe(
      [
        "Hello Ada,",
        "Thank you for your order 0123456789abcdef. Your payment was received; we will let you know when it ships.",
        "2 × Mug: $25.00\n1 × Tea: $3.00",
        "Subtotal: $25.00\nShipping: $4.99\nTotal: $29.99",
        "Shipping to:\nAda Lovelace\n12 Analytical Row\nN1 9GU London\nGB",
        "Test Shop\n1 Test Street\nLondon",
      ].join("\n\n") + "\n",
    );
    expect(mail.html).toBe(
      '<!doctype html><html><head><meta charset="utf-8"><title>Test Shop: order 01234567 confirmed</title></head><body>' +
        "<p>Hello Ada,</p><p>Thank you for your order 0123456789abcdef. Your payment was received; we will let you know when it ships.</p>" +
        "<table><tr><td>2 ×</td><td>Mug</td><td>$25.00</td></tr><tr><td>1 ×</td><td>Tea</td><td>$3.00</td></tr>" +
        '<tr><th colspan="2">Subtotal</th><td>$25.00</td></tr><tr><th colspan="2">Shipping</th><td>$4.99</td></tr>' +
        '<tr><th colspan="2">Total</th><td>$29.99</td></tr></table>' +
        "<p>Shipping to:<br>Ada Lovelace<br>12 Analytical Row<br>N1 9GU London<br>GB</p>" +
        "<hr><p>Test Shop<br>1 Test Street<br>London</p></body></html>",
    );
  });

  it("lists a discount, and the region and second address line when there are some", () => {
    const mail = orderMail("order.paid", shop, customer, {
      ...order,
      discountCents: 500,
      shippingAddress: { ...order.shippingAddress, line2: "Flat 2", region: "Greater London" },
    });
    expect(mail.text).toContain("Subtotal: $25.00\nDiscount: -$5.00\nShipping");
    expect(mail.text).toContain("12 Analytical Row\nFlat 2\nN1 9GU London\nGreater London\nGB");
  });

  it("says a shipped order has shipped, with its address", () => {
    const mail = orderMail("order.shipped", shop, customer, order);
    expect(mail.subject).toBe("Test Shop: order 01234567 has shipped");
    expect(mail.text).toContain("Your order 0123456789abcdef has shipped.");
    expect(mail.text).toContain("Shipping to:");
  });

  it("says a cancelled order is being refunded only when it is", () => {
    const refunded = orderMail("order.cancelled", shop, customer, order);
    expect(refunded.subject).toBe("Test Shop: order 01234567 cancelled");
    expect(refunded.text).toContain("The $29.99 you paid is being refunded to your original payment method.");
    expect(refunded.text).not.toContain("Shipping to:");
    const notCharged = orderMail("order.cancelled", shop, customer, { ...order, refunding: false });
    expect(notCharged.text).toContain("Your order 0123456789abcdef was cancelled.\n");
    expect(notCharged.text).not.toContain("refunded");
  });

  it("escapes every user-supplied value in the HTML, and keeps line breaks out of the greeting", () => {
    const hostile = `<script>"x"</script>`;
    const mail = orderMail(
      "order.paid",
      shop,
      { email: "ada@example.test", name: `Eve\r\n${hostile}` },
      {
        ...order,
        lines: [{ name: hostile, unitPriceCents: 100, quantity: 1 }],
        shippingAddress: { ...order.shippingAddress, name: hostile, city: hostile },
      },
    );
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("Hello Eve &lt;script&gt;&quot;x&quot;&lt;/script&gt;,");
    expect(mail.text).toContain(`Hello Eve ${hostile},`);
  });

  it("trims the customer's name and drops NUL from it", () => {
    expect(orderMail("order.shipped", shop, { email: "ada@example.test", name: " A\0da " }, order).text).toMatch(/^Hello Ada,\n/);
  });

  it("refuses to render when the shop's name would inject a header", () => {
    expect(() => orderMail("order.paid", { ...shop, name: "Shop\r\nBcc: x@y.z" }, customer, order)).toThrow(MailHeaderError);
  });
});

describe("refundFailedMail", () => {
  it("tells the admin the order, amount and reason", () => {
    const mail = refundFailedMail(shop, { email: "admin@example.test", name: "Admin" }, order, "card\r\nexpired");
    expect(mail.to).toBe("admin@example.test");
    expect(mail.subject).toBe("Test Shop: refund failed for order 01234567");
    expect(mail.text).toContain(
      "The refund of $29.99 for the cancelled order 0123456789abcdef failed: card expired.\n\n" +
        "The payment is marked refund_failed in the back office; refund it by hand at the payment provider.\n\n2 × Mug",
    );
  });
});

describe("formatMoney", () => {
  it.each([
    [2999, "USD", "$29.99"],
    [0, "USD", "$0.00"],
    [1050, "EUR", "€10.50"],
  ])("%d %s → %s", (cents, currency, shown) => expect(formatMoney(cents, currency)).toBe(shown));
});

describe("account mails", () => {
  const to = { email: "ada@example.test", name: `Ada <script>alert("x")</script>` };
  const link = `https://shop.example/reset-password#token=abc"><script>`;

  it.each([
    ["email.verify", /confirm your e-mail address/],
    ["email.change", /confirm your new e-mail address/],
    ["password.reset", /reset your password/],
  ] as const)("%s carries its link, escaped in the HTML part, and asks for no Referer", (kind, subject) => {
    const mail = accountMail({ kind, link }, shop, to);
    expect(mail.subject).toMatch(subject);
    expect(mail.to).toBe(to.email);
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="https://shop.example/reset-password#token=abc&quot;&gt;&lt;script&gt;"`);
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain(`Hello Ada &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,`);
    expect(mail.html).toContain(`<meta name="referrer" content="no-referrer">`);
  });

  it("tells the old address the new one, escaped", () => {
    const mail = accountMail({ kind: "email.changed", newEmail: `new"<b>@example.test` }, shop, to);
    expect(mail.subject).toBe("Test Shop: your e-mail address was changed");
    expect(mail.text).toContain(`changed to new"<b>@example.test;`);
    expect(mail.html).toContain("new&quot;&lt;b&gt;@example.test");
  });

  it("says the password changed, with no link", () => {
    const mail = accountMail({ kind: "password.changed" }, shop, to);
    expect(mail.subject).toBe("Test Shop: your password was changed");
    expect(mail.text).not.toMatch(/https?:/);
    expect(mail.text).toContain("1 Test Street\nLondon");
  });

  it("keeps a customer's name with a line break on one line, out of the headers", () => {
    const mail = accountMail({ kind: "password.changed" }, shop, { ...to, name: "Ada\r\nBcc: x@evil.test" });
    expect(mail.subject).toBe("Test Shop: your password was changed");
    expect(mail.text.startsWith("Hello Ada Bcc: x@evil.test,\n")).toBe(true);
  });

  it("refuses a recipient address with a line break (header injection)", () => {
    expect(() => accountMail({ kind: "password.changed" }, shop, { ...to, email: "a@example.test\r\nBcc: x@evil.test" })).toThrow(
      MailHeaderError,
    );
  });
});
