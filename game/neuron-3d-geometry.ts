/**
 * Geometry of the 3D neuron view: the surface voxels of the selected supervoxels as a point cloud, with a
 * shade per point from its outward direction (which of its 6 neighbours lie outside the selection), and
 * a rotation that follows drags. Pure functions, no DOM: game/neuron-3d.ts draws them (three.js on
 * WebGL2, else a 2D canvas).
 */
import type { Vec3 } from "@/core/volume";

export type PointCloud = {
  /** x, y, z per point, centred on the cube and scaled to nanometres / the cube's largest side. */
  positions: Float32Array;
  /** 0..1 brightness per point (lit from the viewer's upper left in object space). */
  shades: Float32Array;
  /** 1 where the point belongs to a seed supervoxel. */
  seed: Uint8Array;
  count: number;
};

const LIGHT = normalize([-0.4, -0.6, -0.7]);

function normalize(v: [number, number, number]): [number, number, number] {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}

/**
 * Surface voxels of `selected` in `labels` (zyx C order over `size`), taking every `step`-th voxel per
 * axis so a big neuron stays light (at most `maxPoints`, the step grows until it fits).
 */
export function surfacePoints(labels: Uint32Array, size: Vec3, selected: ReadonlySet<number>, opts: { voxelSize?: Vec3; seeds?: ReadonlySet<number>; step?: number; maxPoints?: number } = {}): PointCloud {
  const vs = opts.voxelSize ?? { x: 1, y: 1, z: 1 };
  const maxPoints = opts.maxPoints ?? 60_000;
  const { x: sx, y: sy, z: sz } = size;
  // Beyond the cube counts as inside: where the neuron leaves the cube it stays open, with no cut face drawn.
  const inside = (x: number, y: number, z: number) => x < 0 || y < 0 || z < 0 || x >= sx || y >= sy || z >= sz || selected.has(labels[(z * sy + y) * sx + x]!);
  const extent = Math.max(sx * vs.x, sy * vs.y, sz * vs.z) || 1;
  for (let step = Math.max(1, opts.step ?? 1); ; step *= 2) {
    const pos: number[] = [];
    const shade: number[] = [];
    const seed: number[] = [];
    let overflow = false;
    for (let z = 0; z < sz && !overflow; z += step) {
      for (let y = 0; y < sy && !overflow; y += step) {
        for (let x = 0; x < sx; x += step) {
          const id = labels[(z * sy + y) * sx + x]!;
          if (id === 0 || !selected.has(id)) continue;
          // Outward direction: towards the neighbours (at this step) outside the selection.
          let nx = 0,
            ny = 0,
            nz = 0;
          if (!inside(x - step, y, z)) nx -= 1;
          if (!inside(x + step, y, z)) nx += 1;
          if (!inside(x, y - step, z)) ny -= 1;
          if (!inside(x, y + step, z)) ny += 1;
          if (!inside(x, y, z - step)) nz -= 1;
          if (!inside(x, y, z + step)) nz += 1;
          if (nx === 0 && ny === 0 && nz === 0) continue; // interior
          const [ux, uy, uz] = normalize([nx, ny, nz]);
          const lambert = Math.max(0, -(ux * LIGHT[0] + uy * LIGHT[1] + uz * LIGHT[2]));
          pos.push(((x + 0.5) * vs.x - (sx * vs.x) / 2) / extent, ((y + 0.5) * vs.y - (sy * vs.y) / 2) / extent, ((z + 0.5) * vs.z - (sz * vs.z) / 2) / extent);
          shade.push(0.35 + 0.65 * lambert);
          seed.push(opts.seeds?.has(id) ? 1 : 0);
          if (shade.length > maxPoints) {
            overflow = true;
            break;
          }
        }
      }
    }
    if (!overflow) return { positions: Float32Array.from(pos), shades: Float32Array.from(shade), seed: Uint8Array.from(seed), count: shade.length };
  }
}

/** Rotation as yaw (about the vertical axis) and pitch, in radians; pitch is kept within ±89°. */
export type Orbit = { yaw: number; pitch: number; zoom: number };

export function dragOrbit(o: Orbit, dx: number, dy: number, pxPerRadian = 150): Orbit {
  const limit = (89 * Math.PI) / 180;
  return { ...o, yaw: o.yaw + dx / pxPerRadian, pitch: Math.max(-limit, Math.min(limit, o.pitch + dy / pxPerRadian)) };
}

export function zoomOrbit(o: Orbit, factor: number): Orbit {
  return { ...o, zoom: Math.max(0.5, Math.min(6, o.zoom * factor)) };
}

/** Screen coordinates (x right, y down, depth away from the viewer) of a point under the orbit. */
export function project(o: Orbit, x: number, y: number, z: number): [number, number, number] {
  const cy = Math.cos(o.yaw),
    sy = Math.sin(o.yaw),
    cp = Math.cos(o.pitch),
    sp = Math.sin(o.pitch);
  // Yaw about the image's y axis, then pitch about the screen's x axis (volume z points into the screen).
  const x1 = cy * x + sy * z;
  const z1 = -sy * x + cy * z;
  const y2 = cp * y - sp * z1;
  const z2 = sp * y + cp * z1;
  return [x1 * o.zoom, y2 * o.zoom, z2];
}
