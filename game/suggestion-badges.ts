/**
 * Where to draw the numbered badge (1, 2, 3) of each highlighted suggestion on a slice, so the player
 * sees which number key takes which. Pure: no Phaser, no DOM.
 *
 * The badge sits on the group's voxel nearest to the group's centroid on this slice, preferring voxels
 * whose four neighbours are in the group too (a badge on a one-voxel sliver is hard to read). A group
 * with no voxel on the slice gets no badge (null).
 */

/** Badge centre in world coordinates (voxel units; the voxel's centre). */
export type BadgePoint = { x: number; y: number };

/**
 * One entry per group, in order: its badge point on this slice, or null. Groups may share supervoxels;
 * each is placed on its own voxels.
 */
export function badgePositions(
  labels: ArrayLike<number>,
  width: number,
  height: number,
  groups: readonly (readonly number[])[],
): (BadgePoint | null)[] {
  const sets = groups.map((g) => new Set(g));
  const n = sets.length;
  const sx = new Float64Array(n);
  const sy = new Float64Array(n);
  const count = new Float64Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const id = labels[y * width + x]!;
      if (id === 0) continue;
      for (let k = 0; k < n; k++) {
        if (!sets[k]!.has(id)) continue;
        sx[k] = sx[k]! + x;
        sy[k] = sy[k]! + y;
        count[k] = count[k]! + 1;
      }
    }
  }
  return sets.map((set, k) => {
    if (count[k] === 0) return null;
    const cx = sx[k]! / count[k]!;
    const cy = sy[k]! / count[k]!;
    const inGroup = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && set.has(labels[y * width + x]!);
    let best = -1;
    let bestD = Infinity;
    let bestInterior = false;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!set.has(labels[y * width + x]!)) continue;
        const interior = inGroup(x - 1, y) && inGroup(x + 1, y) && inGroup(x, y - 1) && inGroup(x, y + 1);
        if (bestInterior && !interior) continue;
        const d = (x - cx) ** 2 + (y - cy) ** 2;
        if (d < bestD || (interior && !bestInterior)) {
          best = y * width + x;
          bestD = d;
          bestInterior = interior;
        }
      }
    }
    return { x: (best % width) + 0.5, y: Math.floor(best / width) + 0.5 };
  });
}
