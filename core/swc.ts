// SWC export/import. Lines: `index type x y z radius parent`, coordinates and radius in µm,
// 1-based indices, root parent -1, parents before children. Header lines start with '#'.
import type { Skeleton } from "./skeleton";
import type { Vec3 } from "./volume";

/**
 * SWC type written for every node. 0 = "undefined": our skeletons come from a segmentation of an
 * arbitrary neuron piece, so we can't honestly say soma/axon/dendrite (3 "basal dendrite" would be
 * wrong for fly neurons, and our root is an extremity, not a soma).
 */
export const SWC_TYPE_UNDEFINED = 0;

export type SwcOptions = {
  /** nm per voxel. */
  voxelSize: Vec3;
  /** Voxel origin added to every node before scaling (e.g. the crop's corner). */
  offset?: Vec3;
  /** Header lines; '# ' is prefixed unless a line already starts with '#'. */
  header: string[];
  /** Override the node type (default 0). */
  type?: number;
};

export type SwcNode = { id: number; type: number; x: number; y: number; z: number; radius: number; parent: number };
export type ParsedSwc = { nodes: SwcNode[]; header: string[] };

// 4 decimals of a µm = 0.1 nm: far below voxel size, and keeps files small.
function num(v: number): string {
  const r = Number(v.toFixed(4));
  return Object.is(r, -0) ? "0" : String(r);
}

/**
 * Skeleton (voxel coordinates) → SWC text in µm: coordinate = (voxel + offset) * voxelSize / 1000.
 * Radius is in voxels, isotropic, so it is scaled by the mean of the x and y voxel sizes (the imaging
 * plane; z is the axis that is coarse in anisotropic EM).
 */
export function toSwc(skeleton: Skeleton, opts: SwcOptions): string {
  const { voxelSize: vs, header } = opts;
  const o = opts.offset ?? { x: 0, y: 0, z: 0 };
  const type = opts.type ?? SWC_TYPE_UNDEFINED;
  const radiusScale = (vs.x + vs.y) / 2 / 1000;
  const lines: string[] = [];
  for (const h of header) for (const line of h.split(/\r?\n/)) lines.push(line.startsWith("#") ? line : `# ${line}`);
  skeleton.nodes.forEach((nd, i) => {
    if (nd.parent >= i) throw new Error(`node ${i} has parent ${nd.parent}: parents must come first`);
    lines.push(
      [
        i + 1,
        type,
        num(((nd.x + o.x) * vs.x) / 1000),
        num(((nd.y + o.y) * vs.y) / 1000),
        num(((nd.z + o.z) * vs.z) / 1000),
        // radiusNm when the skeleton knew the voxel size (exact), else voxels × the x/y edge.
        num(nd.radiusNm !== undefined ? nd.radiusNm / 1000 : nd.radius * radiusScale),
        nd.parent < 0 ? -1 : nd.parent + 1,
      ].join(" "),
    );
  });
  return lines.join("\n") + "\n";
}

/**
 * Parse SWC text. Header lines keep their text without the leading '#' and one space. Columns beyond
 * the seventh are ignored (some tools append extras). Throws on a line that is not 7 numbers, naming
 * the line; structural problems are left to validateSwc.
 */
export function parseSwc(text: string): ParsedSwc {
  const nodes: SwcNode[] = [];
  const header: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!.trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      header.push(line.slice(1).replace(/^ /, ""));
      continue;
    }
    const f = line.split(/\s+/);
    const v = f.slice(0, 7).map(Number);
    if (f.length < 7 || v.some((x) => !Number.isFinite(x))) {
      throw new Error(`SWC line ${ln + 1}: expected 7 numbers "index type x y z radius parent", got "${line.slice(0, 80)}"`);
    }
    const [id, type, x, y, z, radius, parent] = v as [number, number, number, number, number, number, number];
    nodes.push({ id, type, x, y, z, radius, parent });
  }
  return { nodes, header };
}

/** Structural problems of a parsed SWC; [] when valid. */
export function validateSwc(parsed: ParsedSwc): string[] {
  const errors: string[] = [];
  const { nodes } = parsed;
  const defined = new Set<number>();
  const parentOf = new Map<number, number>();
  let roots = 0;
  for (const nd of nodes) {
    if (!Number.isInteger(nd.id) || nd.id < 1) errors.push(`node id ${nd.id} is not a positive integer`);
    if (defined.has(nd.id)) errors.push(`node id ${nd.id} is not unique`);
    if (nd.radius < 0) errors.push(`node ${nd.id} has negative radius ${nd.radius}`);
    if (nd.parent === -1) roots++;
    else if (!defined.has(nd.parent)) errors.push(`node ${nd.id}: parent ${nd.parent} is not defined before it`);
    defined.add(nd.id);
    if (!parentOf.has(nd.id)) parentOf.set(nd.id, nd.parent);
  }
  if (roots === 0) errors.push("no root (no node has parent -1)");

  // Cycles: walk up from each node; state 1 = on the current walk, 2 = known to reach a root/dead end.
  const state = new Map<number, number>();
  const reported = new Set<number>();
  for (const start of parentOf.keys()) {
    if (state.has(start)) continue;
    const path: number[] = [];
    let cur: number | undefined = start;
    while (cur !== undefined && cur !== -1 && !state.has(cur)) {
      state.set(cur, 1);
      path.push(cur);
      cur = parentOf.get(cur);
    }
    if (cur !== undefined && state.get(cur) === 1 && !reported.has(cur)) {
      const cycle = path.slice(path.indexOf(cur));
      for (const c of cycle) reported.add(c);
      errors.push(`cycle through nodes ${cycle.slice(0, 5).join(" → ")}${cycle.length > 5 ? " …" : ""}`);
    }
    for (const p of path) state.set(p, 2);
  }
  return errors;
}
