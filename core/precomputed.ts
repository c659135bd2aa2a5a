// Neuroglancer "precomputed" writers (and the decoders the tests read them back with).
//
// Skeletons: an `info` JSON { "@type": "neuroglancer_skeletons", transform (3×4, row-major, voxel →
// nm), vertex_attributes } and per segment one little-endian binary file named by the segment id:
//   uint32 V, uint32 E, float32[3V] positions, uint32[2E] edges (vertex index pairs),
//   then each vertex attribute in order (here: radius, float32 × 1 per vertex, in nm).
// Segmentation volume: an `info` JSON { "@type": "neuroglancer_multiscale_volume", type
// "segmentation", data_type "uint32", num_channels 1, scales: [{ key, size, resolution,
// voxel_offset, chunk_sizes, encoding: "raw" }] } and one file per chunk named
// `x0-x1_y0-y1_z0-z1` (absolute voxel coordinates, end exclusive, clipped to the volume) under the
// scale's key, holding the chunk's voxels raw, little-endian, x fastest then y then z ("Fortran
// order" in neuroglancer's [x][y][z] terms, which is our z,y,x C order).
import type { Skeleton } from "./skeleton";
import type { Vec3 } from "./volume";

const LITTLE = (() => new Uint8Array(new Uint32Array([1]).buffer)[0] === 1)();

function le(bytes: Uint8Array, width: 4): Uint8Array {
  // Typed arrays use the platform's byte order; swap on big-endian machines so files are always LE.
  if (!LITTLE) for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
  return bytes;
}

export type SkeletonInfo = {
  "@type": "neuroglancer_skeletons";
  transform: number[];
  vertex_attributes: { id: string; data_type: "float32"; num_components: number }[];
  segment_properties?: string;
};

/** The skeleton source's `info`: vertices are in voxels of the dataset, `transform` scales them to nm. */
export function skeletonInfo(voxelSize: Vec3, segmentProperties?: string): SkeletonInfo {
  return {
    "@type": "neuroglancer_skeletons",
    transform: [voxelSize.x, 0, 0, 0, 0, voxelSize.y, 0, 0, 0, 0, voxelSize.z, 0],
    vertex_attributes: [{ id: "radius", data_type: "float32", num_components: 1 }],
    ...(segmentProperties ? { segment_properties: segmentProperties } : {}),
  };
}

/**
 * One segment's skeleton file. Positions = node voxel coordinates + offset (the dataset's voxel
 * space, which `transform` maps to nm); one edge per non-root node (parent, child); radius in nm.
 */
export function encodeSkeleton(skeleton: Skeleton, voxelSize: Vec3, offset: Vec3 = { x: 0, y: 0, z: 0 }): Uint8Array {
  const nodes = skeleton.nodes;
  const V = nodes.length;
  let E = 0;
  for (const n of nodes) if (n.parent >= 0) E++;
  const buf = new ArrayBuffer(8 + 12 * V + 8 * E + 4 * V);
  const head = new Uint32Array(buf, 0, 2);
  const pos = new Float32Array(buf, 8, 3 * V);
  const edges = new Uint32Array(buf, 8 + 12 * V, 2 * E);
  const radius = new Float32Array(buf, 8 + 12 * V + 8 * E, V);
  head[0] = V;
  head[1] = E;
  let e = 0;
  nodes.forEach((n, i) => {
    pos[3 * i] = n.x + offset.x;
    pos[3 * i + 1] = n.y + offset.y;
    pos[3 * i + 2] = n.z + offset.z;
    radius[i] = n.radiusNm ?? (n.radius * (voxelSize.x + voxelSize.y)) / 2;
    if (n.parent >= 0) {
      edges[2 * e] = n.parent;
      edges[2 * e + 1] = i;
      e++;
    }
  });
  return le(new Uint8Array(buf), 4);
}

export type DecodedSkeleton = { positions: Float32Array; edges: Uint32Array; radius: Float32Array };

/** Read a skeleton file written with one float32 attribute (radius); throws when sizes disagree. */
export function decodeSkeleton(bytes: Uint8Array): DecodedSkeleton {
  if (bytes.length < 8) throw new Error(`skeleton file has ${bytes.length} bytes, needs at least 8`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const V = dv.getUint32(0, true);
  const E = dv.getUint32(4, true);
  const want = 8 + 12 * V + 8 * E + 4 * V;
  if (bytes.length !== want) throw new Error(`skeleton file has ${bytes.length} bytes; ${V} vertices, ${E} edges and a radius need ${want}`);
  const positions = new Float32Array(3 * V);
  const edges = new Uint32Array(2 * E);
  const radius = new Float32Array(V);
  for (let i = 0; i < 3 * V; i++) positions[i] = dv.getFloat32(8 + 4 * i, true);
  for (let i = 0; i < 2 * E; i++) edges[i] = dv.getUint32(8 + 12 * V + 4 * i, true);
  for (let i = 0; i < V; i++) radius[i] = dv.getFloat32(8 + 12 * V + 8 * E + 4 * i, true);
  for (let i = 0; i < 2 * E; i++) if (edges[i]! >= V) throw new Error(`skeleton edge ${i >> 1} names vertex ${edges[i]} of ${V}`);
  return { positions, edges, radius };
}

export type VolumeScale = {
  key: string;
  size: [number, number, number];
  resolution: [number, number, number];
  voxel_offset: [number, number, number];
  chunk_sizes: [[number, number, number]];
  encoding: "raw";
};
export type VolumeInfo = {
  "@type": "neuroglancer_multiscale_volume";
  type: "segmentation";
  data_type: "uint32";
  num_channels: 1;
  scales: [VolumeScale];
  skeletons?: string;
  segment_properties?: string;
};

export type VolumeOptions = {
  /** nm per voxel. */
  voxelSize: Vec3;
  /** Position of the array's first voxel in the dataset. */
  offset: Vec3;
  /** Chunk edge (voxels), default 64. */
  chunk?: number;
  /** Relative path of a skeleton source to attach (neuroglancer loads it with the segments). */
  skeletons?: string;
  segmentProperties?: string;
};

export type VolumeFile = { path: string; data: Uint8Array };

/**
 * A uint32 label array (z,y,x C order, `shape`) → the volume's `info` and its chunk files, every
 * chunk written (also empty ones, so readers that do not fill missing chunks work).
 */
export function encodeSegmentationVolume(labels: Uint32Array, shape: Vec3, opts: VolumeOptions): { info: VolumeInfo; chunks: VolumeFile[] } {
  if (labels.length !== shape.x * shape.y * shape.z) throw new Error(`labels have ${labels.length} values, shape needs ${shape.x * shape.y * shape.z}`);
  const c = opts.chunk ?? 64;
  const vs = opts.voxelSize;
  const key = `${vs.x}_${vs.y}_${vs.z}`;
  const o = opts.offset;
  const info: VolumeInfo = {
    "@type": "neuroglancer_multiscale_volume",
    type: "segmentation",
    data_type: "uint32",
    num_channels: 1,
    scales: [{ key, size: [shape.x, shape.y, shape.z], resolution: [vs.x, vs.y, vs.z], voxel_offset: [o.x, o.y, o.z], chunk_sizes: [[c, c, c]], encoding: "raw" }],
    ...(opts.skeletons ? { skeletons: opts.skeletons } : {}),
    ...(opts.segmentProperties ? { segment_properties: opts.segmentProperties } : {}),
  };
  const chunks: VolumeFile[] = [];
  for (let z0 = 0; z0 < shape.z; z0 += c) {
    for (let y0 = 0; y0 < shape.y; y0 += c) {
      for (let x0 = 0; x0 < shape.x; x0 += c) {
        const x1 = Math.min(shape.x, x0 + c);
        const y1 = Math.min(shape.y, y0 + c);
        const z1 = Math.min(shape.z, z0 + c);
        const w = x1 - x0;
        const out = new Uint32Array(w * (y1 - y0) * (z1 - z0));
        let k = 0;
        for (let z = z0; z < z1; z++) {
          for (let y = y0; y < y1; y++, k += w) {
            const i = (z * shape.y + y) * shape.x + x0;
            out.set(labels.subarray(i, i + w), k);
          }
        }
        const name = `${o.x + x0}-${o.x + x1}_${o.y + y0}-${o.y + y1}_${o.z + z0}-${o.z + z1}`;
        chunks.push({ path: `${key}/${name}`, data: le(new Uint8Array(out.buffer), 4) });
      }
    }
  }
  return { info, chunks };
}

/** Read a raw uint32 chunk back (x fastest) and check its size against its `x0-x1_y0-y1_z0-z1` name. */
export function decodeRawChunk(name: string, bytes: Uint8Array): { box: { x0: number; x1: number; y0: number; y1: number; z0: number; z1: number }; labels: Uint32Array } {
  const m = /^(\d+)-(\d+)_(\d+)-(\d+)_(\d+)-(\d+)$/.exec(name);
  if (!m) throw new Error(`chunk name "${name}" is not x0-x1_y0-y1_z0-z1`);
  const [x0, x1, y0, y1, z0, z1] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const n = (x1 - x0) * (y1 - y0) * (z1 - z0);
  if (bytes.length !== 4 * n) throw new Error(`chunk ${name} has ${bytes.length} bytes, needs ${4 * n}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const labels = new Uint32Array(n);
  for (let i = 0; i < n; i++) labels[i] = dv.getUint32(4 * i, true);
  return { box: { x0, x1, y0, y1, z0, z1 }, labels };
}

/** neuroglancer_segment_properties `info` naming each segment. */
export function segmentPropertiesInfo(labels: { id: number; label: string }[]) {
  return {
    "@type": "neuroglancer_segment_properties",
    inline: { ids: labels.map((l) => String(l.id)), properties: [{ id: "label", type: "label", values: labels.map((l) => l.label) }] },
  };
}
