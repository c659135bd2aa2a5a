export const percent = (x: number | null | undefined) => (x === null || x === undefined ? "–" : `${Math.round(x * 100)} %`);
export const number = (x: number) => x.toLocaleString("en");
export const dateTime = (d: Date) => d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
export const shortDay = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
/** "ACD-F7Q" */
export const displayCode = (code: string) => (code.length === 6 ? `${code.slice(0, 3)}-${code.slice(3)}` : code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code);
/** A datetime-local input's value for a Date, in the browser's time zone. */
export function toLocalInput(d: Date) {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
