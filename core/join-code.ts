// Class join codes and competition invite codes: short, read aloud in a classroom, typed on a Chromebook.
// No look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V) and no vowels besides A and E, so codes rarely spell words.

export const CODE_ALPHABET = "34679ACDEFGHJKMNPQRTWXY";
export const JOIN_CODE_LENGTH = 6;

/** A code of `length` characters; `random` returns uniform integers in [0, n). */
export function makeCode(random: (n: number) => number, length = JOIN_CODE_LENGTH): string {
  let out = "";
  for (let i = 0; i < length; i++) out += CODE_ALPHABET[random(CODE_ALPHABET.length)]!;
  return out;
}

/**
 * What a person typed, as a stored code: upper case, spaces and dashes dropped, and the look-alikes that
 * the alphabet leaves out read as the letter or digit they resemble. Null when it cannot be a code.
 */
export function normalizeCode(typed: string, length = JOIN_CODE_LENGTH): string | null {
  const lookAlike: Record<string, string> = { O: "0", I: "1", L: "1", S: "5", B: "8", Z: "2", U: "V" };
  const s = typed.toUpperCase().replace(/[\s-]/g, "");
  if (s.length !== length) return null;
  let out = "";
  for (const ch of s) {
    const c = lookAlike[ch] ?? ch;
    if (!CODE_ALPHABET.includes(c)) return null;
    out += c;
  }
  return out;
}

/** "ACD-F7Q": easier to read from a projector. */
export const displayCode = (code: string) => (code.length === 6 ? `${code.slice(0, 3)}-${code.slice(3)}` : code);
