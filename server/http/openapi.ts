// The OpenAPI 3.1 description of /api/v1, served at GET /api/v1/openapi.json. A test
// (server/http/openapi.test.ts) checks that every documented path has a route file under app/api/v1 and
// that every route file is documented.
type Schema = Record<string, unknown>;
type Param = { name: string; in: "path" | "query"; required: boolean; description: string; schema: Schema };
type Operation = {
  summary: string;
  description?: string;
  tags: string[];
  parameters?: Param[];
  security?: Record<string, string[]>[];
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }>; headers?: Record<string, { description: string; schema: Schema }> }>;
};
export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string; license?: { name: string; identifier?: string } };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, { get: Operation }>;
  components: { securitySchemes: Record<string, Schema>; schemas: Record<string, Schema> };
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const uuidPath = (what: string): Param => ({ name: "id", in: "path", required: true, description: `${what} id (UUID)`, schema: { type: "string", format: "uuid" } });
const errors = {
  "400": { description: "Invalid parameter (the message names it)", content: { "application/json": { schema: ref("Error") } } },
  "404": { description: "Not found, or not visible to the caller", content: { "application/json": { schema: ref("Error") } } },
};
const authErrors = {
  "401": { description: "No session or API token, or the token is unknown or revoked", content: { "application/json": { schema: ref("Error") } } },
  "403": { description: "The caller is not a researcher or admin", content: { "application/json": { schema: ref("Error") } } },
};
const optionalAuth: Record<string, string[]>[] = [{}, { bearerToken: [] }, { session: [] }];
const researcherAuth: Record<string, string[]>[] = [{ bearerToken: [] }, { session: [] }];
const vec3 = { type: "object", properties: { x: { type: "number" }, y: { type: "number" }, z: { type: "number" } }, required: ["x", "y", "z"] };
const box = { type: "object", properties: Object.fromEntries(["x0", "y0", "z0", "x1", "y1", "z1"].map((k) => [k, { type: "integer" }])), description: "half-open voxel box" };
const binary = (type: string) => ({ [type]: { schema: { type: "string", contentMediaType: type } } });
const noConsensus = { description: "No cube of the neuron has a consensus yet (nothing is queued)", content: { "application/json": { schema: ref("Error") } } };
const etag = { ETag: { description: "strong validator (the file's sha256): send it back as If-None-Match", schema: { type: "string" } } };
const notModified = { description: "Not modified (If-None-Match matched the ETag)", headers: etag };
/** For the URLs read directly (Neuroglancer, the 3D view, links), which wait for the export job a bounded time. */
const waited = {
  "503": {
    description: "The export is still being made (the request waited up to 20 s for its job): try again after Retry-After. The body links the job.",
    headers: { "Retry-After": { description: "seconds", schema: { type: "integer" } } },
    content: { "application/json": { schema: { type: "object", properties: { error: { type: "string" }, links: { type: "object", properties: { job: { type: "string" } } } } } } },
  },
  "500": { description: "The export job failed for good (its error)", content: { "application/json": { schema: ref("Error") } } },
};
const storedFileNote =
  " Read from the stored export of the neuron's current consensus; when it is not stored yet, the request queues the export job (or joins the running one) and waits for it up to 20 s. Cache-Control `no-cache` (public, or private for a draft campaign's neuron) with a strong ETag: revalidate, 304 when unchanged.";

export const openApiDocument: OpenApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Axonaut REST API",
    version: "1.0.0",
    description:
      "Datasets, neuron reconstructions and their exports, and campaign statistics. Public data (datasets, neurons of published campaigns and of no campaign) needs no authentication. Neurons of a draft campaign and campaign statistics need their owner (or an admin): a browser session, or `Authorization: Bearer <token>` with an API token made at /researcher/tokens. Errors are JSON `{ error, field? }`. Every export repeats the dataset's license and attribution. Exports are made by background jobs and stored: a download answers 202 with its job until it is ready.",
  },
  servers: [{ url: "/api/v1" }],
  tags: [
    { name: "datasets", description: "EM volumes" },
    { name: "neurons", description: "Crowd reconstructions and their exports" },
    { name: "campaigns", description: "Campaign progress (researchers)" },
    { name: "jobs", description: "Background jobs that make exports" },
    { name: "meta", description: "This document" },
  ],
  paths: {
    "/datasets": { get: { summary: "List ready datasets", tags: ["datasets"], responses: { "200": { description: "Datasets", content: { "application/json": { schema: { type: "object", properties: { datasets: { type: "array", items: ref("Dataset") } } } } } }, "400": errors["400"] } } },
    "/datasets/{id}": { get: { summary: "One dataset", tags: ["datasets"], parameters: [uuidPath("dataset")], responses: { "200": { description: "The dataset", content: { "application/json": { schema: ref("Dataset") } } }, ...errors } } },
    "/datasets/{id}/tiles/{level}/{z}/{tile}": {
      get: {
        summary: "An image tile (8-bit grey PNG)", tags: ["datasets"],
        parameters: [uuidPath("dataset"), { name: "level", in: "path", required: true, description: "pyramid level (x, y downsampled by 2^level)", schema: { type: "integer", minimum: 0 } }, { name: "z", in: "path", required: true, description: "slice", schema: { type: "integer", minimum: 0 } }, { name: "tile", in: "path", required: true, description: "`<ty>_<tx>.png`", schema: { type: "string", pattern: "^\\d+_\\d+\\.png$" } }],
        responses: { "200": { description: "PNG", content: binary("image/png") }, "404": errors["404"] },
      },
    },
    "/datasets/{id}/labels/{chunk}": {
      get: {
        summary: "A supervoxel label chunk", description: "gzip (Content-Encoding) of raw little-endian uint32, z,y,x C order; 64³ voxels, clipped at the volume's edge.", tags: ["datasets"],
        parameters: [uuidPath("dataset"), { name: "chunk", in: "path", required: true, description: "`<cx>_<cy>_<cz>`", schema: { type: "string", pattern: "^\\d+_\\d+_\\d+$" } }],
        responses: { "200": { description: "label chunk", content: binary("application/octet-stream") }, "404": errors["404"] },
      },
    },
    "/neurons": {
      get: {
        summary: "List neurons", tags: ["neurons"], security: optionalAuth,
        parameters: [
          { name: "dataset", in: "query", required: false, description: "only this dataset's neurons", schema: { type: "string", format: "uuid" } },
          { name: "campaign", in: "query", required: false, description: "only this campaign's neurons", schema: { type: "string", format: "uuid" } },
          { name: "status", in: "query", required: false, description: "ACTIVE or COMPLETE", schema: { type: "string", enum: ["ACTIVE", "COMPLETE"] } },
          { name: "limit", in: "query", required: false, description: "page size (default 100)", schema: { type: "integer", minimum: 1, maximum: 500 } },
          { name: "offset", in: "query", required: false, description: "rows to skip", schema: { type: "integer", minimum: 0 } },
        ],
        responses: { "200": { description: "A page of neurons", content: { "application/json": { schema: { type: "object", properties: { total: { type: "integer" }, limit: { type: "integer" }, offset: { type: "integer" }, neurons: { type: "array", items: ref("NeuronSummary") } } } } } }, "400": errors["400"], "401": authErrors["401"] },
      },
    },
    "/neurons/{id}": { get: { summary: "One neuron and its cubes", tags: ["neurons"], security: optionalAuth, parameters: [uuidPath("neuron")], responses: { "200": { description: "The neuron", content: { "application/json": { schema: ref("Neuron") } } }, ...errors, "401": authErrors["401"] } } },
    "/neurons/{id}/export": {
      get: {
        summary: "Export the consensus reconstruction",
        description:
          "swc and nml are single files; precomputed (Neuroglancer segmentation + skeletons) and csv (traces.csv, consensus.csv) come as one .tar.gz. Exports are made by a background job and stored under a version (a hash of the neuron's consensus): when the current version is stored the answer is the file (200, strong ETag, Cache-Control `no-cache`, and Content-Location naming the versioned URL); otherwise 202 with the job to poll (one job per version, however many ask). With `version` (the job's download link) the URL names one stored version, cached for a year (`immutable`; `private` for a draft campaign's neuron).",
        tags: ["neurons"], security: optionalAuth,
        parameters: [
          uuidPath("neuron"),
          { name: "format", in: "query", required: true, description: "swc | nml | precomputed | csv", schema: { type: "string", enum: ["swc", "nml", "precomputed", "csv"] } },
          { name: "version", in: "query", required: false, description: "a stored version (32 hex digits), as in the job's `links.download`", schema: { type: "string", pattern: "^[0-9a-f]{32}$" } },
        ],
        responses: {
          "200": { description: "The export", headers: { ...etag, "Content-Location": { description: "the versioned (immutable) URL of this file", schema: { type: "string" } } }, content: { ...binary("text/plain"), ...binary("application/xml"), ...binary("application/gzip") } },
          "202": {
            description: "Being made: poll the job (Location), then download `links.download` from its answer",
            headers: { Location: { description: "the job, /api/v1/jobs/{id}", schema: { type: "string" } }, "Retry-After": { description: "seconds", schema: { type: "integer" } } },
            content: { "application/json": { schema: ref("ExportPending") } },
          },
          "304": notModified,
          ...errors,
          "401": authErrors["401"],
          "409": noConsensus,
        },
      },
    },
    "/neurons/{id}/precomputed/{path}": {
      get: {
        summary: "One file of the Neuroglancer precomputed export", description: `Point Neuroglancer at \`precomputed://<origin>/api/v1/neurons/<id>/precomputed\` (files: info, the volume's chunks, skeletons/info, skeletons/1, segment_properties/info, provenance, LICENSE.txt).${storedFileNote}`, tags: ["neurons"], security: optionalAuth,
        parameters: [uuidPath("neuron"), { name: "path", in: "path", required: true, description: "file path inside the export, e.g. `info` or `skeletons/1`", schema: { type: "string" } }],
        responses: { "200": { description: "The file", headers: etag, content: { ...binary("application/json"), ...binary("application/octet-stream") } }, "304": notModified, ...errors, "409": noConsensus, ...waited },
      },
    },
    "/neurons/{id}/mask": {
      get: {
        summary: "Consensus voxels", description: `gzip (Content-Encoding) of a raw uint8 mask (1 = consensus) over the union of the neuron's retired cubes, z,y,x C order, max-pooled by X-Axonaut-Step when large.${storedFileNote}`, tags: ["neurons"], security: optionalAuth,
        parameters: [uuidPath("neuron")],
        responses: {
          "200": {
            description: "mask", content: binary("application/octet-stream"),
            headers: {
              "X-Axonaut-Region": { description: "x0,y0,z0,x1,y1,z1 in dataset voxels", schema: { type: "string" } },
              "X-Axonaut-Shape": { description: "x,y,z of the (pooled) mask", schema: { type: "string" } },
              "X-Axonaut-Step": { description: "pooling factor per axis", schema: { type: "string" } },
              "X-Axonaut-Voxel-Size": { description: "nm per voxel x,y,z", schema: { type: "string" } },
              ...etag,
            },
          },
          "304": notModified,
          ...errors,
          "409": noConsensus,
          ...waited,
        },
      },
    },
    "/neurons/{id}/skeleton": { get: { summary: "Skeleton nodes (JSON, dataset voxels)", description: storedFileNote.trim(), tags: ["neurons"], security: optionalAuth, parameters: [uuidPath("neuron")], responses: { "200": { description: "nodes, parents before children", headers: etag, content: { "application/json": { schema: ref("Skeleton") } } }, "304": notModified, ...errors, "409": noConsensus, ...waited } } },
    "/neurons/{id}/skeleton.swc": { get: { summary: "Skeleton as SWC (µm)", description: `The swc export as a plain link (the neuron page's).${storedFileNote}`, tags: ["neurons"], security: optionalAuth, parameters: [uuidPath("neuron")], responses: { "200": { description: "SWC", headers: etag, content: binary("text/plain") }, "304": notModified, "404": errors["404"], "409": noConsensus, ...waited } } },
    "/jobs/{id}": {
      get: {
        summary: "An export job's status and progress",
        description: "The job that a 202 from /neurons/{id}/export links to. Visible to whoever may read the job's neuron (404 for everyone else). Poll it until `status` is SUCCEEDED (then download `links.download`) or FAILED (`error` says why).",
        tags: ["jobs"], security: optionalAuth, parameters: [uuidPath("job")],
        responses: { "200": { description: "The job", content: { "application/json": { schema: ref("Job") } } }, ...errors, "401": authErrors["401"] },
      },
    },
    "/campaigns/{id}/stats": { get: { summary: "Campaign progress and quality", tags: ["campaigns"], security: researcherAuth, parameters: [uuidPath("campaign")], responses: { "200": { description: "stats", content: { "application/json": { schema: ref("CampaignStats") } } }, ...errors, ...authErrors } } },
    "/campaigns/{id}/stats.csv": {
      get: {
        summary: "Campaign stats as CSV", tags: ["campaigns"], security: researcherAuth,
        parameters: [uuidPath("campaign"), { name: "table", in: "query", required: false, description: "summary | cubes (default) | players", schema: { type: "string", enum: ["summary", "cubes", "players"] } }],
        responses: { "200": { description: "CSV", content: binary("text/csv") }, ...errors, ...authErrors },
      },
    },
    "/openapi.json": { get: { summary: "This document", tags: ["meta"], responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } } } } },
  },
  components: {
    securitySchemes: {
      bearerToken: { type: "http", scheme: "bearer", description: "A researcher's API token (`axn_…`), created and revoked at /researcher/tokens" },
      session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The browser session" },
    },
    schemas: {
      Error: { type: "object", properties: { error: { type: "string" }, field: { type: "string" } }, required: ["error"] },
      Job: {
        type: "object",
        properties: {
          id: { type: "string" }, kind: { type: "string", enum: ["export"] }, status: { type: "string", enum: ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"] },
          stage: { type: ["string", "null"] }, done: { type: "integer" }, total: { type: "integer" }, progress: { type: "number", minimum: 0, maximum: 1 },
          attempts: { type: "integer" }, error: { type: ["string", "null"] }, neuronId: { type: "string" }, format: { type: "string" },
          createdAt: { type: "string", format: "date-time" }, updatedAt: { type: "string", format: "date-time" }, finishedAt: { type: ["string", "null"], format: "date-time" },
          links: { type: "object", properties: { self: { type: "string" }, download: { type: ["string", "null"], description: "the stored export's versioned URL, once SUCCEEDED" } } },
        },
      },
      ExportPending: {
        type: "object",
        properties: {
          status: { type: "string", enum: ["QUEUED", "RUNNING"] },
          job: { type: "object", properties: { id: { type: "string" }, status: { type: "string" }, stage: { type: ["string", "null"] }, done: { type: "integer" }, total: { type: "integer" }, progress: { type: "number" } } },
          links: { type: "object", properties: { job: { type: "string" }, retry: { type: "string" } } },
        },
      },
      Dataset: {
        type: "object",
        properties: {
          id: { type: "string" }, slug: { type: "string" }, name: { type: "string" }, shape: vec3, voxelSize: vec3,
          tileSize: { type: "integer" }, levels: { type: "integer" }, chunkSize: { type: "integer" }, supervoxelCount: { type: "integer" },
          cube: { type: "object", properties: { size: { type: "integer" }, overlap: { type: "integer" } } },
          license: { type: "string" }, attribution: { type: "string" }, createdAt: { type: "string", format: "date-time" }, links: { type: "object" },
        },
      },
      NeuronSummary: {
        type: "object",
        properties: {
          id: { type: "string" }, name: { type: "string" }, color: { type: "string" }, status: { type: "string", enum: ["ACTIVE", "COMPLETE"] },
          datasetId: { type: "string" }, campaignId: { type: ["string", "null"] }, seed: vec3, cubes: { type: "integer" }, cubesDone: { type: "integer" },
          completedAt: { type: ["string", "null"], format: "date-time" }, links: { type: "object" },
        },
      },
      Neuron: {
        type: "object",
        properties: {
          id: { type: "string" }, name: { type: "string" }, status: { type: "string" }, campaignId: { type: ["string", "null"] }, seed: vec3,
          dataset: { type: "object" }, consensusMethod: { type: "string" },
          cubes: { type: "array", items: { type: "object", properties: { id: { type: "string" }, box, status: { type: "string" }, players: { type: "integer" }, playersWanted: { type: "integer" }, confidence: { type: ["number", "null"] } } } },
          links: { type: "object" },
        },
      },
      Skeleton: {
        type: "object",
        properties: {
          neuronId: { type: "string" }, voxelSize: vec3, region: box,
          nodes: { type: "array", items: { type: "object", properties: { id: { type: "integer" }, x: { type: "number" }, y: { type: "number" }, z: { type: "number" }, radius: { type: "number", description: "voxels" }, parent: { type: "integer", description: "-1 for a root" } } } },
        },
      },
      CampaignStats: {
        type: "object",
        properties: {
          campaignId: { type: "string" }, name: { type: "string" }, status: { type: "string" }, cubesDone: { type: "integer" }, cubesOpen: { type: "integer" },
          neurons: { type: "integer" }, neuronsComplete: { type: "integer" }, traces: { type: "integer" }, meanAgreement: { type: ["number", "null"] },
          cubes: { type: "array", items: { type: "object" } },
          players: { type: "array", items: { type: "object", properties: { player: { type: "string", description: "pseudonym, stable within the campaign" }, cubes: { type: "integer" }, sensitivity: { type: "number" }, specificity: { type: "number" } } } },
        },
      },
    },
  },
};
