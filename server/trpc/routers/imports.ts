// Researchers' imports: start one from a URL (precomputed) or, for admins, a path on the server; follow
// its progress. File uploads go through POST /api/v1/imports (multipart), which calls the same service.
import { z } from "zod";
import { getImport, listImports, startImport, startImportSchema } from "@/server/services/imports";
import { roleProcedure, router } from "../init";

const importerProcedure = roleProcedure("RESEARCHER", "ADMIN");

export const importJobSchema = z.object({
  id: z.string(),
  status: z.enum(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"]),
  title: z.string(),
  stage: z.string().nullable(),
  done: z.number().int(),
  total: z.number().int(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  license: z.string(),
  attribution: z.string(),
  datasetId: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  finishedAt: z.date().nullable(),
});

export const importsRouter = router({
  start: importerProcedure
    .input(startImportSchema)
    .output(z.object({ jobId: z.string() }))
    .mutation(({ ctx, input }) => {
      const { source, ...fields } = input;
      return startImport(ctx.db, ctx.actor, { ...fields, source: source.kind === "url" ? source.url : source.path }, source.kind);
    }),
  list: importerProcedure.input(z.void()).output(z.array(importJobSchema)).query(({ ctx }) => listImports(ctx.db, ctx.actor)),
  get: importerProcedure
    .input(z.object({ id: z.string().uuid("id must be a UUID") }))
    .output(importJobSchema)
    .query(({ ctx, input }) => getImport(ctx.db, ctx.actor, input.id)),
});
