/**
 * The 2D view onto a slice: zoom (screen pixels per voxel) and the world point at the view centre.
 * World units are cube-local voxels (x right, y down), matching a Phaser camera with origin 0.5:
 *
 *   screen = viewport/2 + (world − centre) · zoom
 *
 * Pure functions, unit tested; the scene copies the result onto its camera.
 */

export type View = { zoom: number; cx: number; cy: number };
export type Viewport = { width: number; height: number };
export type Extent = { x: number; y: number };

/** Largest zoom allowed, in screen pixels per voxel. */
export const MAX_ZOOM = 48;
/** How much of the viewport the cube fills after a reset. */
export const FIT_MARGIN = 0.94;

export function fitZoom(vp: Viewport, size: Extent): number {
  if (vp.width <= 0 || vp.height <= 0) return 1;
  return Math.min(vp.width / size.x, vp.height / size.y) * FIT_MARGIN;
}

export function fitView(vp: Viewport, size: Extent): View {
  return { zoom: fitZoom(vp, size), cx: size.x / 2, cy: size.y / 2 };
}

export function zoomLimits(vp: Viewport, size: Extent): { min: number; max: number } {
  const fit = fitZoom(vp, size);
  return { min: Math.min(fit * 0.5, MAX_ZOOM), max: Math.max(MAX_ZOOM, fit) };
}

export function screenToWorld(v: View, vp: Viewport, sx: number, sy: number): { x: number; y: number } {
  return { x: v.cx + (sx - vp.width / 2) / v.zoom, y: v.cy + (sy - vp.height / 2) / v.zoom };
}

export function worldToScreen(v: View, vp: Viewport, wx: number, wy: number): { x: number; y: number } {
  return { x: vp.width / 2 + (wx - v.cx) * v.zoom, y: vp.height / 2 + (wy - v.cy) * v.zoom };
}

/** Keep the view centre over the cube, so it can never be panned out of sight. */
export function clampView(v: View, size: Extent): View {
  return {
    zoom: v.zoom,
    cx: Math.min(size.x, Math.max(0, v.cx)),
    cy: Math.min(size.y, Math.max(0, v.cy)),
  };
}

/** Zoom by `factor` keeping screen point (sx, sy) over the same world point. */
export function zoomAt(v: View, vp: Viewport, size: Extent, factor: number, sx: number, sy: number): View {
  const { min, max } = zoomLimits(vp, size);
  const zoom = Math.min(max, Math.max(min, v.zoom * factor));
  const w = screenToWorld(v, vp, sx, sy);
  return clampView({ zoom, cx: w.x - (sx - vp.width / 2) / zoom, cy: w.y - (sy - vp.height / 2) / zoom }, size);
}

/** Move the content by a screen-space delta (drag right → content moves right). */
export function panBy(v: View, size: Extent, dx: number, dy: number): View {
  return clampView({ zoom: v.zoom, cx: v.cx - dx / v.zoom, cy: v.cy - dy / v.zoom }, size);
}
