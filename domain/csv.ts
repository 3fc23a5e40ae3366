// CSV as RFC 4180 writes it (CRLF rows, fields quoted when they must be), safe to open in a spreadsheet.

/**
 * One field. Quoted when it holds a comma, a quote, CR or LF (quotes doubled), per RFC 4180.
 * Text starting with = + - @ or a tab/CR is a formula to Excel and LibreOffice, so it gets a
 * leading apostrophe (OWASP's advice against CSV injection): a customer's name or address is
 * theirs to write. Numbers are written as they are.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (fields: readonly (string | number | null | undefined)[]) => `${fields.map(csvField).join(",")}\r\n`;

/** Minor units as a decimal amount ("12.34"), which spreadsheets read as a number. */
export const decimalAmount = (cents: number) => {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
};

/**
 * The UTF-8 byte order mark. Excel decodes a CSV without it in the machine's legacy code page
 * (Windows-1252 and others), so "Zoë" opens as "ZoÃ«"; with it, Excel, LibreOffice, Numbers and
 * Google Sheets all read UTF-8. RFC 4180 does not forbid it; a program reading the file should
 * strip it (Python: encoding="utf-8-sig").
 */
export const UTF8_BOM = "\uFEFF";
