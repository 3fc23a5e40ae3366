// GET /dev/mailbox: the development mailbox, the mails the Worker "sent" (recorded instead), each
// viewable as the customer would see it. Only where MAIL_TRANSPORT is "mailbox", which lib/config
// allows only in development and tests; everywhere else the route does not exist.
import { Hono, type Context } from "hono";
import { escapeHtml } from "../domain/mail";
import { readConfig } from "../lib/config";
import { mailboxEntries, mailboxEntry } from "../services/mail";
import type { AppEnv } from "./app-env";
import { errorResponse } from "./errors";

const notFound = (c: Context<AppEnv>) => errorResponse(c, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`);

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;

export const mailboxRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (readConfig(c.env).mail.transport !== "mailbox") return notFound(c);
    await next();
  })
  .get("/", async (c) => {
    const entries = await mailboxEntries(c.env.CACHE);
    if (c.req.query("format") === "json") {
      return c.json({
        mails: entries.map(({ id, sentAt, from, to, subject }) => ({ id, sentAt: new Date(sentAt).toISOString(), from, to, subject })),
      });
    }
    const rows = entries
      .map(
        (m) =>
          `<tr><td>${new Date(m.sentAt).toISOString()}</td><td>${escapeHtml(m.to)}</td>` +
          `<td><a href="/dev/mailbox/${m.id}">${escapeHtml(m.subject)}</a></td><td><a href="/dev/mailbox/${m.id}/text">text</a></td></tr>`,
      )
      .join("");
    return c.html(
      page(
        "Mailbox",
        `<h1>Mailbox (development)</h1><p>${entries.length} mail(s), newest first. Nothing here was sent.</p>` +
          `<table><tr><th>sent</th><th>to</th><th>subject</th><th></th></tr>${rows}</table>`,
      ),
    );
  })
  // The HTML part exactly as the mail carries it; the app's CSP (default-src 'none') still applies.
  .get("/:id", async (c) => {
    const mail = await mailboxEntry(c.env.CACHE, c.req.param("id"));
    return mail ? c.html(mail.html) : notFound(c);
  })
  .get("/:id/text", async (c) => {
    const mail = await mailboxEntry(c.env.CACHE, c.req.param("id"));
    if (!mail) return notFound(c);
    const header = `From: ${mail.from.name} <${mail.from.email}>\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n`;
    return c.text(header + mail.text);
  });
