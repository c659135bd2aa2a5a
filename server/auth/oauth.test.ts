import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDb } from "@/test-support/db";
import { oauthProviders, userForOAuth, usernameFrom } from "./oauth";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

describe("OAuth providers", () => {
  it("switch on only when both the id and the secret are set", () => {
    expect(oauthProviders({})).toEqual([]);
    expect(oauthProviders({ GITHUB_ID: "x" }).map((p) => p.id)).toEqual([]);
    expect(oauthProviders({ GITHUB_ID: "x", GITHUB_SECRET: "y" }).map((p) => p.id)).toEqual(["github"]);
    expect(oauthProviders({ GITHUB_ID: "x", GITHUB_SECRET: "y", GOOGLE_CLIENT_ID: "a", GOOGLE_CLIENT_SECRET: "b" }).map((p) => p.id)).toEqual(["github", "google"]);
  });

  it("makes one account per provider account, keeps only the account id, and picks a free username", async () => {
    const a = await userForOAuth(t.db, "github", "1001", "Ada Lovelace");
    expect(a.username).toBe("Ada-Lovelace");
    expect(a.passwordHash).toBeNull();
    expect((await userForOAuth(t.db, "github", "1001", "renamed")).id).toBe(a.id);
    const b = await userForOAuth(t.db, "google", "g-77", "Ada Lovelace");
    expect(b.id).not.toBe(a.id);
    expect(b.username).toMatch(/^Ada-Lovelace-[0-9a-f]{4}$/);
    expect(await t.db.oAuthAccount.count()).toBe(2);
    expect(usernameFrom("x")).toMatch(/^player-[0-9a-f]{6}$/);
    expect(usernameFrom("Zoë 😀 <b>")).toBe("Zoe-b");
  });
});
