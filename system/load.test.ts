// A short load run (bench/load) in CI: not timed (speed goals live in the bench's printed ratios), but
// every request must succeed and no acknowledged submission may be lost.
import { describe, expect, inject, it } from "vitest";
import { postgresUrl } from "@/bench/load/harness";
import { formatReport, runLoad } from "@/bench/load/run";

const url = postgresUrl();

describe.skipIf(!url)("load (short run)", () => {
  it("8 players for 5 s on two instances: no errors, no lost submissions", async () => {
    const report = await runLoad({ duration: 5, players: 8, instances: 2, json: false, dbUrl: url!, template: inject("templateDb") });
    console.log(formatReport(report));
    expect(report.submissions).toBeGreaterThan(0);
    expect(report.errors).toEqual({});
    expect(report.lost).toBe(0);
  });
});
