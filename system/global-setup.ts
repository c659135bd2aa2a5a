// Sets up one database like production once (`npm run setup`: migrations, the sample volume, the demo
// campaign) as a template; each test copies it in about a second instead of running setup again.
import type { TestProject } from "vitest/node";
import { freshDatabase, postgresUrl, setupDatabase } from "@/bench/load/harness";

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
  }
}

export default async function globalSetup(project: TestProject) {
  const url = postgresUrl();
  if (!url) return;
  const db = await freshDatabase(url, "axonaut_sys_template");
  await setupDatabase(db.url);
  project.provide("templateDb", db.name);
  return () => db.drop();
}
