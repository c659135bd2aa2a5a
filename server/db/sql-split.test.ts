import { describe, expect, it } from "vitest";
import { splitSqlStatements } from "./sql-split";

describe("splitSqlStatements", () => {
  it("splits at statement ends only", () => {
    expect(splitSqlStatements("CREATE TABLE a (x int);\n-- a comment; with a semicolon\nINSERT INTO a VALUES (1);")).toEqual([
      "CREATE TABLE a (x int)",
      "-- a comment; with a semicolon\nINSERT INTO a VALUES (1)",
    ]);
  });
  it("keeps dollar-quoted function bodies, strings, identifiers and block comments whole", () => {
    const fn = `CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  x := 1;\n  RETURN NULL;\nEND;\n$$`;
    const tagged = `DO $body$ BEGIN PERFORM 1; END $body$`;
    const str = `SELECT 'a;b', 'it''s;', "we;ird" /* c; d */`;
    expect(splitSqlStatements(`${fn};\n${tagged};${str};`)).toEqual([fn, tagged, str]);
  });
  it("drops empty and comment-only pieces", () => {
    expect(splitSqlStatements(";; -- only a comment\n")).toEqual([]);
    expect(splitSqlStatements("SELECT 1")).toEqual(["SELECT 1"]);
  });
});
