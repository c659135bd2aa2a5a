/**
 * The 3D view of the neuron growing in the cube as the player selects supervoxels (as in EyeWire).
 * Loads the cube's label chunks itself (the same URLs as the slice view, so the browser's cache serves
 * them), draws the surface of the selection as shaded points, and turns with a mouse drag or a finger
 * (pinch or wheel zooms; arrow keys and +/- when it has the focus).
 *
 * Renderers: three.js on WebGL2 where the device has it, else a plain 2D canvas (Chromebooks and tablets
 * without WebGL2 still see their neuron). Plain module: no React, no Phaser.
 */
import { boxSize, chunkBox, chunksForBox, clampBox, type Box, type Vec3 } from "@/core/volume";
import { copyChunkIntoCube } from "./cube";
import { dragOrbit, project, surfacePoints, zoomOrbit, type Orbit, type PointCloud } from "./neuron-3d-geometry";
import { readLabelBody } from "./volume-loader";

export type Neuron3dOptions = {
  task: { box: Box; shape: Vec3; seeds: number[]; color: string; chunkSize: number; voxelSize: Vec3 };
  labelChunkUrl(cx: number, cy: number, cz: number): string;
  /** 'auto' (default): three.js when WebGL2 works, else 2D canvas. */
  renderer?: "auto" | "canvas";
  fetch?: typeof fetch;
  /** Called after each redraw (tests and the host read the numbers). */
  onChange?(state: { points: number; orbit: Orbit; renderer: "webgl" | "canvas"; loaded: boolean }): void;
};

export type Neuron3d = {
  setSelection(ids: readonly number[]): void;
  destroy(): void;
  renderer(): "webgl" | "canvas";
};

type Painter = { draw(cloud: PointCloud, orbit: Orbit): void; resize(w: number, h: number): void; destroy(): void };

function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  const n = m ? parseInt(m[1]!, 16) : 0xffbf00;
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function canWebGL2(): boolean {
  try {
    const c = document.createElement("canvas");
    return Boolean(c.getContext("webgl2"));
  } catch {
    return false;
  }
}

/** Plain 2D canvas: projects every point, paints back to front. */
function canvasPainter(canvas: HTMLCanvasElement, color: [number, number, number]): Painter {
  const ctx = canvas.getContext("2d")!;
  let w = canvas.width,
    h = canvas.height;
  return {
    resize(nw, nh) {
      w = canvas.width = nw;
      h = canvas.height = nh;
    },
    draw(cloud, orbit) {
      ctx.fillStyle = "#0c1116";
      ctx.fillRect(0, 0, w, h);
      const n = cloud.count;
      const xs = new Float32Array(n),
        ys = new Float32Array(n),
        ds = new Float32Array(n);
      const order = new Uint32Array(n);
      const scale = Math.min(w, h) * 0.9;
      for (let i = 0; i < n; i++) {
        const [x, y, d] = project(orbit, cloud.positions[i * 3]!, cloud.positions[i * 3 + 1]!, cloud.positions[i * 3 + 2]!);
        xs[i] = w / 2 + x * scale;
        ys[i] = h / 2 + y * scale;
        ds[i] = d;
        order[i] = i;
      }
      order.sort((a, b) => ds[b]! - ds[a]!); // far first
      const size = Math.max(1.5, (scale / 160) * orbit.zoom);
      for (const i of order) {
        const s = cloud.shades[i]! * (cloud.seed[i] ? 1.15 : 1);
        ctx.fillStyle = `rgb(${Math.min(255, color[0] * s) | 0},${Math.min(255, color[1] * s) | 0},${Math.min(255, color[2] * s) | 0})`;
        ctx.fillRect(xs[i]! - size / 2, ys[i]! - size / 2, size, size);
      }
    },
    destroy() {},
  };
}

/** three.js on WebGL2: the points as a BufferGeometry, coloured per point. */
async function threePainter(canvas: HTMLCanvasElement, color: [number, number, number]): Promise<Painter> {
  const THREE = await import("three");
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: true, alpha: false, preserveDrawingBuffer: true });
  renderer.setClearColor(0x0c1116, 1);
  const scene = new THREE.Scene();
  const camera = new THREE.OrthographicCamera(-0.6, 0.6, 0.6, -0.6, -10, 10);
  const geometry = new THREE.BufferGeometry();
  const material = new THREE.PointsMaterial({ size: 3, vertexColors: true, sizeAttenuation: false });
  const points = new THREE.Points(geometry, material);
  scene.add(points);
  let aspect = 1;
  let drawn: PointCloud | null = null;
  return {
    resize(w, h) {
      renderer.setSize(w, h, false);
      aspect = w / Math.max(1, h);
    },
    draw(cloud, orbit) {
      if (cloud !== drawn) {
        const colors = new Float32Array(cloud.count * 3);
        for (let i = 0; i < cloud.count; i++) {
          const s = cloud.shades[i]! * (cloud.seed[i] ? 1.15 : 1);
          colors[i * 3] = Math.min(1, (color[0] / 255) * s);
          colors[i * 3 + 1] = Math.min(1, (color[1] / 255) * s);
          colors[i * 3 + 2] = Math.min(1, (color[2] / 255) * s);
        }
        // Volume y and z point down and into the screen; flip them for three's y-up, z-towards-viewer.
        const pos = new Float32Array(cloud.positions.length);
        for (let i = 0; i < cloud.count; i++) {
          pos[i * 3] = cloud.positions[i * 3]!;
          pos[i * 3 + 1] = -cloud.positions[i * 3 + 1]!;
          pos[i * 3 + 2] = -cloud.positions[i * 3 + 2]!;
        }
        geometry.setAttribute("position", new THREE.BufferAttribute(pos, 3));
        geometry.setAttribute("color", new THREE.BufferAttribute(colors, 3));
        geometry.computeBoundingSphere();
        drawn = cloud;
      }
      const half = 0.6 / orbit.zoom;
      camera.left = -half * Math.max(1, aspect);
      camera.right = half * Math.max(1, aspect);
      camera.top = half / Math.min(1, aspect);
      camera.bottom = -half / Math.min(1, aspect);
      camera.updateProjectionMatrix();
      points.rotation.set(orbit.pitch, orbit.yaw, 0, "XYZ");
      material.size = Math.max(2, 2.5 * orbit.zoom);
      renderer.render(scene, camera);
    },
    destroy() {
      geometry.dispose();
      material.dispose();
      renderer.dispose();
    },
  };
}

export function createNeuron3d(parent: HTMLElement, opts: Neuron3dOptions): Neuron3d {
  const box = clampBox(opts.task.box, opts.task.shape);
  const size = boxSize(box);
  const labels = new Uint32Array(size.x * size.y * size.z);
  const seeds = new Set(opts.task.seeds);
  const color = hexToRgb(opts.task.color);
  const abort = new AbortController();
  const fetchFn = opts.fetch ?? ((i: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(i, init));

  const canvas = document.createElement("canvas");
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", "Your neuron in 3D. Drag, or use the arrow keys, to turn it; + and - zoom.");
  canvas.style.width = "100%";
  canvas.style.height = "100%";
  canvas.style.display = "block";
  canvas.style.touchAction = "none";
  parent.appendChild(canvas);

  let kind: "webgl" | "canvas" = opts.renderer !== "canvas" && canWebGL2() ? "webgl" : "canvas";
  let painter: Painter | null = kind === "canvas" ? canvasPainter(canvas, color) : null;
  let orbit: Orbit = { yaw: -0.6, pitch: 0.45, zoom: 1 };
  let selection = new Set<number>(seeds);
  let cloud: PointCloud = { positions: new Float32Array(0), shades: new Float32Array(0), seed: new Uint8Array(0), count: 0 };
  let loaded = false;
  let destroyed = false;
  let frame = 0;
  let rebuild = true;

  const schedule = () => {
    if (frame || destroyed) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (!painter) return;
      if (rebuild) {
        cloud = surfacePoints(labels, size, selection, { voxelSize: opts.task.voxelSize, seeds, maxPoints: kind === "webgl" ? 120_000 : 25_000 });
        rebuild = false;
      }
      painter.draw(cloud, orbit);
      opts.onChange?.({ points: cloud.count, orbit, renderer: kind, loaded });
    });
  };

  const fit = () => {
    const r = parent.getBoundingClientRect();
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    painter?.resize(Math.max(1, Math.round(r.width * dpr)), Math.max(1, Math.round(r.height * dpr)));
    schedule();
  };
  const resizeObserver = typeof ResizeObserver !== "undefined" ? new ResizeObserver(fit) : null;
  resizeObserver?.observe(parent);

  if (kind === "webgl") {
    threePainter(canvas, color)
      .then((p) => {
        if (destroyed) return p.destroy();
        painter = p;
        fit();
      })
      .catch(() => {
        // WebGL2 said yes but three.js could not start: the 2D canvas needs a fresh element.
        kind = "canvas";
        const fresh = canvas.cloneNode() as HTMLCanvasElement;
        canvas.replaceWith(fresh);
        painter = canvasPainter(fresh, color);
        fit();
      });
  } else fit();

  // Turning: one pointer drags; two pinch-zoom. Pointer Events cover mouse, pen and touch alike.
  const pointers = new Map<number, { x: number; y: number }>();
  let pinchDist = 0;
  const onDown = (e: PointerEvent) => {
    canvas.setPointerCapture?.(e.pointerId);
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      pinchDist = Math.hypot(a!.x - b!.x, a!.y - b!.y);
    }
  };
  const onMove = (e: PointerEvent) => {
    const p = pointers.get(e.pointerId);
    if (!p) return;
    if (pointers.size === 1) orbit = dragOrbit(orbit, e.clientX - p.x, e.clientY - p.y);
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const d = Math.hypot(a!.x - b!.x, a!.y - b!.y);
      if (pinchDist > 0 && d > 0) orbit = zoomOrbit(orbit, d / pinchDist);
      pinchDist = d;
    }
    schedule();
  };
  const onUp = (e: PointerEvent) => {
    pointers.delete(e.pointerId);
    pinchDist = 0;
  };
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    orbit = zoomOrbit(orbit, Math.exp(-e.deltaY / 500));
    schedule();
  };
  const onKey = (e: KeyboardEvent) => {
    const turn = 0.15 * 150;
    const moves: Record<string, () => Orbit> = {
      ArrowLeft: () => dragOrbit(orbit, -turn, 0),
      ArrowRight: () => dragOrbit(orbit, turn, 0),
      ArrowUp: () => dragOrbit(orbit, 0, -turn),
      ArrowDown: () => dragOrbit(orbit, 0, turn),
      "+": () => zoomOrbit(orbit, 1.2),
      "=": () => zoomOrbit(orbit, 1.2),
      "-": () => zoomOrbit(orbit, 1 / 1.2),
    };
    const move = moves[e.key];
    if (!move) return;
    // The slice view listens for keys on the window: this view keeps its own.
    e.preventDefault();
    e.stopPropagation();
    orbit = move();
    schedule();
  };
  canvas.addEventListener("pointerdown", onDown);
  canvas.addEventListener("pointermove", onMove);
  canvas.addEventListener("pointerup", onUp);
  canvas.addEventListener("pointercancel", onUp);
  canvas.addEventListener("wheel", onWheel, { passive: false });
  canvas.addEventListener("keydown", onKey);

  // The labels: every chunk of the cube, a few at a time; the view refreshes as they arrive.
  void (async () => {
    const chunks = chunksForBox(box, opts.task.chunkSize);
    let next = 0;
    const worker = async () => {
      while (next < chunks.length && !destroyed) {
        const c = chunks[next++]!;
        const bounds = chunkBox(c.cx, c.cy, c.cz, opts.task.chunkSize, opts.task.shape);
        const s = boxSize(bounds);
        try {
          const res = await fetchFn(opts.labelChunkUrl(c.cx, c.cy, c.cz), { signal: abort.signal });
          if (!res.ok) continue;
          copyChunkIntoCube(labels, box, await readLabelBody(res, s.x * s.y * s.z, `${c.cx}_${c.cy}_${c.cz}`), bounds);
          rebuild = true;
          schedule();
        } catch {
          if (destroyed) return;
        }
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    loaded = true;
    schedule();
  })();

  return {
    setSelection(ids) {
      selection = new Set([...ids, ...seeds]);
      rebuild = true;
      schedule();
    },
    renderer: () => kind,
    destroy() {
      destroyed = true;
      abort.abort();
      if (frame) cancelAnimationFrame(frame);
      resizeObserver?.disconnect();
      painter?.destroy();
      canvas.remove();
    },
  };
}
