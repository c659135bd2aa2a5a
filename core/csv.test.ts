import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv, toCsv } from "./csv";

describe("CSV", () => {
  it("quotes commas, quotes, line breaks and '#'; neutralises spreadsheet formulas; keeps comments", () => {
    const text = toCsv(["a", "b"], [["x,y", 'say "hi"'], ["two\nlines", "=SUM(A1)"], [-1, null]], ["license: CC BY 3.0"]);
    expect(text.split("\n")[0]).toBe("# license: CC BY 3.0");
    const p = parseCsv(text);
    expect(p.comments).toEqual(["license: CC BY 3.0"]);
    expect(p.rows).toEqual([["x,y", 'say "hi"'], ["two\nlines", "'=SUM(A1)"], ["-1", ""]]);
    expect(() => toCsv(["a"], [[1, 2]])).toThrow(/2 values, 1 columns/);
    expect(() => parseCsv('a\n"open')).toThrow(/never closed/);
  });

  it("property: any text fields round-trip", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 8 }), (rows) => {
        const safe = rows.map(([a, b]) => [a, b].map((s) => (/^[=+\-@]/.test(s) ? `x${s}` : s)));
        const p = parseCsv(toCsv(["first", "second"], safe));
        expect(p.rows).toEqual(safe);
      }),
    );
  });
});
