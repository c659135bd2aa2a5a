import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseCommandLine, UsageError } from "./args";

const spec = {
  options: { n: { type: "string" as const }, flag: { type: "boolean" as const, default: false } },
  schema: z.object({
    source: z.string({ error: "give one folder" }),
    "--n": z.coerce.number().int("must be a whole number").default(3),
    "--flag": z.boolean(),
  }),
  positionals: { max: 1, what: "folder" },
};

describe("parseCommandLine", () => {
  it("parses options and the positional, applying defaults", () => {
    expect(parseCommandLine(["dir", "--n", "7", "--flag"], spec)).toEqual({ source: "dir", "--n": 7, "--flag": true });
    expect(parseCommandLine(["dir"], spec)).toEqual({ source: "dir", "--n": 3, "--flag": false });
    expect(parseCommandLine(["-h"], spec)).toBe("help");
  });

  it("names the offending option, or only the message for a positional", () => {
    expect(() => parseCommandLine(["dir", "--n", "1.5"], spec)).toThrow(/^--n must be a whole number$/);
    expect(() => parseCommandLine([], spec)).toThrow(/^give one folder$/);
    expect(() => parseCommandLine(["a", "b"], spec)).toThrow(/expected at most 1 folder, got 2 arguments: a b/);
    expect(() => parseCommandLine(["dir", "--bogus"], spec)).toThrow(UsageError);
    expect(() => parseCommandLine(["dir", "--bogus"], spec)).toThrow(/Unknown option '--bogus'.*\(see --help\)$/);
  });

  it("refuses positionals when none are declared, and lets prepare reshape input", () => {
    const s = { options: { "no-x": { type: "boolean" as const, default: false } }, schema: z.object({ "--x": z.boolean().default(true) }).strict() };
    expect(() => parseCommandLine(["stray"], s)).toThrow(UsageError);
    expect(parseCommandLine(["--no-x"], { ...s, prepare: ({ "--no-x": no }) => (no ? { "--x": false } : {}) })).toEqual({ "--x": false });
  });
});
