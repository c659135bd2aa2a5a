// Password rules for accounts (students' PINs and picture passwords are separate: they are short by design
// and protected by per-student lockout plus rate limits). Following NIST SP 800-63B: a minimum length, no
// composition rules, and a block-list of passwords that attackers try first.
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

// The commonest leaked passwords of 10+ characters (shorter ones already fail the length rule), lower case.
const COMMON = new Set(
  [
    "1234567890", "0123456789", "0987654321", "1111111111", "0000000000", "1234512345", "1122334455", "1212121212",
    "qwertyuiop", "qwerty1234", "qwerty12345", "1q2w3e4r5t", "1qaz2wsx3edc", "zaq12wsxcde3", "asdfghjkl1", "asdfghjkl;",
    "password12", "password123", "password1234", "password!1", "passw0rd12", "p@ssw0rd12", "p@ssword123", "password01",
    "iloveyou12", "iloveyou123", "princess12", "sunshine12", "football12", "baseball12", "superman12", "starwars12",
    "welcome123", "welcome1234", "letmein123", "changeme123", "abc1234567", "abcdefghij", "abcd123456", "a123456789",
    "123456789a", "123456789q", "qazwsxedcrfv", "michael123", "jessica123", "charlie123", "monkey1234", "dragon1234",
    "computer12", "internet12", "trustno1234", "whatever12", "administrator", "admin12345", "adminadmin", "rootroot12",
    "neuron1234", "axonaut123", "axonaut1234", "eyewire123", "passwordpassword", "mypassword", "mypassword1", "secret1234",
  ].map((p) => p.toLowerCase()),
);

/** Why this password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return "this password is one of the most common ones: choose another";
  if (new Set(lower).size <= 2) return "password must not repeat one or two characters";
  if (isRun(lower)) return "password must not be a run like 0123456789 or abcdefghij";
  if (username && lower.includes(username.trim().toLowerCase()) && username.trim().length >= 3) return "password must not contain the username";
  return null;
}

/** Consecutive characters going up or down by one throughout (digits or letters). */
function isRun(s: string): boolean {
  const step = s.charCodeAt(1) - s.charCodeAt(0);
  if (step !== 1 && step !== -1) return false;
  for (let i = 2; i < s.length; i++) if (s.charCodeAt(i) - s.charCodeAt(i - 1) !== step) return false;
  return true;
}
