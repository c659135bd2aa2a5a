// NML (webKnossos / KNOSSOS skeleton annotations): XML with
//   <things><parameters><experiment name/><scale x y z/>…</parameters>
//     <thing id name color.r color.g color.b color.a><nodes><node id radius x y z/>…</nodes>
//       <edges><edge source target/>…</edges></thing>…
//     <branchpoints><branchpoint id/>…</branchpoints><comments><comment node content/>…</comments></things>
// `scale` is nm per voxel and node coordinates are voxels of the dataset (webKnossos reads them as
// integers in older versions, so we round them: at most half a voxel off). Node radius is in nm,
// webKnossos' unit for it. Node ids are unique across the whole file, as webKnossos requires.
import type { Skeleton } from "./skeleton";
import type { Vec3 } from "./volume";

export type NmlOptions = {
  /** The dataset name webKnossos should open the annotation with. */
  experiment: string;
  /** nm per voxel. */
  voxelSize: Vec3;
  /** Voxel origin added to every node (the region's corner in the dataset). */
  offset?: Vec3;
  /** Tree name prefix; trees are numbered when there are several. */
  name: string;
  /** Tree colour "#rrggbb". */
  color?: string;
  /** Free text kept as an XML comment and as a <comment> on the first node (license, attribution…). */
  notes?: string[];
  /** Time stamp written into <time ms> and every node (ms since epoch); fixed in tests. */
  timeMs?: number;
};

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/[\r\n\t]/g, " ");
}

const num = (v: number) => String(Number(v.toFixed(3)));

function rgb(hex: string | undefined): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? "");
  if (!m) return [1, 0, 0];
  return [parseInt(m[1]!, 16) / 255, parseInt(m[2]!, 16) / 255, parseInt(m[3]!, 16) / 255];
}

/** Skeleton (voxel coordinates, parents first; several roots = several trees) → NML text. */
export function toNml(skeleton: Skeleton, opts: NmlOptions): string {
  const o = opts.offset ?? { x: 0, y: 0, z: 0 };
  const vs = opts.voxelSize;
  const t = opts.timeMs ?? Date.now();
  const nodes = skeleton.nodes;
  // Tree of each node: a root starts a new tree; a child joins its parent's.
  const tree = new Int32Array(nodes.length);
  const children = new Int32Array(nodes.length);
  let trees = 0;
  nodes.forEach((n, i) => {
    if (n.parent >= i) throw new Error(`node ${i} has parent ${n.parent}: parents must come first`);
    if (n.parent < 0) tree[i] = trees++;
    else {
      tree[i] = tree[n.parent]!;
      children[n.parent]!++;
    }
  });
  const [r, g, b] = rgb(opts.color);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  for (const note of opts.notes ?? []) out.push(`<!-- ${note.replace(/--/g, "- -").replace(/[\r\n]+/g, " ")} -->`);
  out.push("<things>", "  <parameters>");
  out.push(`    <experiment name="${esc(opts.experiment)}"/>`);
  out.push(`    <scale x="${num(vs.x)}" y="${num(vs.y)}" z="${num(vs.z)}"/>`);
  out.push(`    <offset x="0" y="0" z="0"/>`);
  out.push(`    <time ms="${t}"/>`);
  out.push("  </parameters>");
  for (let k = 0; k < trees; k++) {
    const name = trees > 1 ? `${opts.name} (piece ${k + 1})` : opts.name;
    out.push(`  <thing id="${k + 1}" name="${esc(name)}" color.r="${num(r)}" color.g="${num(g)}" color.b="${num(b)}" color.a="1">`);
    out.push("    <nodes>");
    nodes.forEach((n, i) => {
      if (tree[i] !== k) return;
      const rad = n.radiusNm ?? (n.radius * (vs.x + vs.y)) / 2;
      out.push(
        `      <node id="${i + 1}" radius="${num(rad)}" x="${Math.round(n.x + o.x)}" y="${Math.round(n.y + o.y)}" z="${Math.round(n.z + o.z)}" ` +
          `rotX="0" rotY="0" rotZ="0" inVp="0" inMag="0" bitDepth="8" interpolation="false" time="${t}"/>`,
      );
    });
    out.push("    </nodes>", "    <edges>");
    nodes.forEach((n, i) => {
      if (tree[i] === k && n.parent >= 0) out.push(`      <edge source="${n.parent + 1}" target="${i + 1}"/>`);
    });
    out.push("    </edges>", "  </thing>");
  }
  out.push("  <branchpoints>");
  // A branch point has more than two neighbours (a root with two children is a path's middle).
  nodes.forEach((n, i) => {
    if (children[i]! + (n.parent >= 0 ? 1 : 0) > 2) out.push(`    <branchpoint id="${i + 1}" time="${t}"/>`);
  });
  out.push("  </branchpoints>", "  <comments>");
  if (nodes.length > 0) {
    const text = ["root", ...(opts.notes ?? [])].join("; ");
    out.push(`    <comment node="1" content="${esc(text)}"/>`);
  }
  out.push("  </comments>", "</things>", "");
  return out.join("\n");
}

// ------------------------------------------------------------------ a small strict XML reader

export type XmlElement = { name: string; attrs: Record<string, string>; children: XmlElement[] };

function unesc(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e]!);
}

/**
 * Parse XML (elements and attributes; text, comments, the declaration are skipped) into a tree.
 * Strict: throws on a tag that is not closed, a closing tag that does not match, duplicate
 * attributes or text after the root. Enough to check what toNml writes, and NML from elsewhere.
 */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: "#document", attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  const tag = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<\/([A-Za-z_][\w.:-]*)\s*>|<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*"[^"<]*")*)\s*(\/?)>|</g;
  const attr = /([A-Za-z_][\w.:-]*)\s*=\s*"([^"<]*)"/g;
  let last = 0;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    const between = text.slice(last, m.index);
    if (between.trim() !== "" && stack.length === 1) throw new Error(`XML: text outside the root element near offset ${last}`);
    last = tag.lastIndex;
    if (m[0] === "<") throw new Error(`XML: malformed tag at offset ${m.index}`);
    if (m[0].startsWith("<!--") || m[0].startsWith("<?")) continue;
    if (m[1] !== undefined) {
      const open = stack.pop()!;
      if (open.name !== m[1]) throw new Error(`XML: </${m[1]}> closes <${open.name}> at offset ${m.index}`);
      continue;
    }
    const el: XmlElement = { name: m[2]!, attrs: {}, children: [] };
    for (let a = attr.exec(m[3] ?? ""); a; a = attr.exec(m[3] ?? "")) {
      if (a[1]! in el.attrs) throw new Error(`XML: duplicate attribute ${a[1]} on <${el.name}>`);
      el.attrs[a[1]!] = unesc(a[2]!);
    }
    if (stack.length === 1 && root.children.length > 0) throw new Error(`XML: a second root element <${el.name}>`);
    stack[stack.length - 1]!.children.push(el);
    if (m[4] !== "/") stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`XML: <${stack[stack.length - 1]!.name}> is never closed`);
  if (text.slice(last).trim() !== "") throw new Error("XML: text after the root element");
  const top = root.children[0];
  if (!top) throw new Error("XML: no root element");
  return top;
}

export type NmlTree = { id: number; name: string; nodes: { id: number; x: number; y: number; z: number; radius: number }[]; edges: [number, number][] };
export type ParsedNml = { experiment: string; scale: Vec3; trees: NmlTree[]; branchpoints: number[]; comments: { node: number; content: string }[] };

const child = (el: XmlElement, name: string) => el.children.find((c) => c.name === name);
function numAttr(el: XmlElement, key: string): number {
  const v = Number(el.attrs[key]);
  if (el.attrs[key] === undefined || !Number.isFinite(v)) throw new Error(`NML: <${el.name}> needs a numeric ${key}`);
  return v;
}

/** Read an NML file's trees (throws naming what is missing). */
export function parseNml(text: string): ParsedNml {
  const things = parseXml(text);
  if (things.name !== "things") throw new Error(`NML: root element is <${things.name}>, expected <things>`);
  const params = child(things, "parameters");
  const exp = params && child(params, "experiment");
  const scale = params && child(params, "scale");
  if (!params || !exp || !scale) throw new Error("NML: <parameters> with <experiment> and <scale> is required");
  const trees = things.children
    .filter((c) => c.name === "thing")
    .map((t) => ({
      id: numAttr(t, "id"),
      name: t.attrs.name ?? "",
      nodes: (child(t, "nodes")?.children ?? []).map((n) => ({ id: numAttr(n, "id"), x: numAttr(n, "x"), y: numAttr(n, "y"), z: numAttr(n, "z"), radius: numAttr(n, "radius") })),
      edges: (child(t, "edges")?.children ?? []).map((e) => [numAttr(e, "source"), numAttr(e, "target")] as [number, number]),
    }));
  return {
    experiment: exp.attrs.name ?? "",
    scale: { x: numAttr(scale, "x"), y: numAttr(scale, "y"), z: numAttr(scale, "z") },
    trees,
    branchpoints: (child(things, "branchpoints")?.children ?? []).map((b) => numAttr(b, "id")),
    comments: (child(things, "comments")?.children ?? []).map((c) => ({ node: numAttr(c, "node"), content: c.attrs.content ?? "" })),
  };
}
