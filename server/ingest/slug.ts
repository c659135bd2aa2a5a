import { IngestError } from "./errors";

/** Lower-case kebab: `a-z0-9` words joined by single dashes, 1..63 characters. */
export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 63; // server/store accepts at most 63

export function isValidSlug(slug: string): boolean {
  return slug.length <= SLUG_MAX_LENGTH && SLUG_RE.test(slug);
}

/** "Drosophila Medulla (FIB-SEM) #2" → "drosophila-medulla-fib-sem-2". May return "" (nothing usable). */
export function slugify(name: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // strip combining accents: é → e
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (s.length <= SLUG_MAX_LENGTH) return s;
  return s.slice(0, SLUG_MAX_LENGTH).replace(/-+$/, "");
}

/** The given slug (validated) or the slug derived from the name. Throws IngestError if unusable. */
export function resolveSlug(name: string, slug?: string): string {
  if (slug !== undefined) {
    if (!isValidSlug(slug)) {
      throw new IngestError(
        `invalid slug "${slug}": use lower-case letters, digits and single dashes (e.g. "fly-medulla-2"), at most ${SLUG_MAX_LENGTH} characters`,
      );
    }
    return slug;
  }
  const derived = slugify(name);
  if (!isValidSlug(derived)) {
    throw new IngestError(`cannot derive a slug from the name "${name}": give one explicitly (slug / --slug)`);
  }
  return derived;
}
