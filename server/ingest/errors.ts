/**
 * The one error type ingest throws for bad input. `file` is the path of the offending file or
 * folder (when there is one), and the message always names it, so a CLI can print it as is.
 */
export class IngestError extends Error {
  override name = "IngestError";
  readonly file: string | undefined;

  constructor(message: string, file?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.file = file;
  }
}

/** Short text of an unknown thrown value, on one line. */
export function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/\s+/g, " ").trim();
}
