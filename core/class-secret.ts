// A student's secret: a PIN of 4 to 6 digits, or a picture password (3 pictures in order from a grid of 12).
// Children remember pictures better than digits; both are hashed like passwords (server/auth/password.ts).

export const PICTURES = [
  { id: "star", label: "star" },
  { id: "heart", label: "heart" },
  { id: "moon", label: "moon" },
  { id: "sun", label: "sun" },
  { id: "tree", label: "tree" },
  { id: "house", label: "house" },
  { id: "fish", label: "fish" },
  { id: "flower", label: "flower" },
  { id: "cloud", label: "cloud" },
  { id: "drop", label: "drop" },
  { id: "apple", label: "apple" },
  { id: "bolt", label: "lightning" },
] as const;

export type PictureId = (typeof PICTURES)[number]["id"];
export const PICTURE_PASSWORD_LENGTH = 3;
export type SecretKind = "PIN" | "PICTURE";
export type Secret = { kind: SecretKind; value: string };

const pictureIds = new Set<string>(PICTURES.map((p) => p.id));

/**
 * The canonical text that is hashed, or an error message a twelve-year-old can act on.
 * PIN: 4 to 6 digits. PICTURE: exactly 3 picture ids separated by commas (repeats allowed).
 */
export function canonicalSecret(secret: Secret): { ok: true; text: string } | { ok: false; error: string } {
  if (secret.kind === "PIN") {
    const pin = secret.value.trim();
    if (!/^\d{4,6}$/.test(pin)) return { ok: false, error: "A PIN is 4 to 6 digits." };
    return { ok: true, text: `pin:${pin}` };
  }
  const ids = secret.value.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (ids.length !== PICTURE_PASSWORD_LENGTH) return { ok: false, error: `Pick ${PICTURE_PASSWORD_LENGTH} pictures.` };
  if (!ids.every((id) => pictureIds.has(id))) return { ok: false, error: "Pick pictures from the grid." };
  return { ok: true, text: `pictures:${ids.join(",")}` };
}

export const NICKNAME_MIN = 2;
export const NICKNAME_MAX = 20;

/** A nickname: 2 to 20 letters, digits, spaces, '-' or '_' (any script), trimmed, inner spaces collapsed. */
export function normalizeNickname(typed: string): { ok: true; nickname: string; key: string } | { ok: false; error: string } {
  const nickname = typed.normalize("NFC").trim().replace(/\s+/g, " ");
  if (nickname.length < NICKNAME_MIN || nickname.length > NICKNAME_MAX) return { ok: false, error: `A nickname has ${NICKNAME_MIN} to ${NICKNAME_MAX} characters.` };
  if (!/^[\p{L}\p{N} _-]+$/u.test(nickname)) return { ok: false, error: "A nickname may use letters, digits, spaces, '-' and '_'." };
  return { ok: true, nickname, key: nickname.toLocaleLowerCase("en") };
}

/** Wrong tries before the student must wait (or ask the teacher to reset the secret). */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCK_MINUTES = 10;
