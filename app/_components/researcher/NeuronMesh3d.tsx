"use client";
// The 3D view of a neuron's consensus reconstruction for researchers: the surface (marching cubes, computed
// in mesh.worker.ts, off the main thread) with the skeleton drawn over it as lines. three.js with
// OrbitControls: drag to rotate, wheel or pinch to zoom, right-drag to pan; arrow keys rotate and +/- zoom
// when the view has the focus. Without WebGL a 2D canvas shows the surface's points from a fixed angle and
// says why.
import { useEffect, useRef, useState } from "react";
import { fetchWhenReady } from "./fetch-when-ready";
import type { MeshReply } from "./mesh.worker";

type SkeletonJson = { nodes: { id: number; x: number; y: number; z: number; parent: number }[] };
type Status = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; triangles: number; nodes: number; ms: number; renderer: "webgl" | "canvas" };

function hasWebGL(): boolean {
  try {
    const c = document.createElement("canvas");
    return Boolean(c.getContext("webgl2") ?? c.getContext("webgl"));
  } catch {
    return false;
  }
}

export default function NeuronMesh3d({ neuronId, color }: { neuronId: string; color: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<Status>({ state: "loading" });

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let disposed = false;
    let cleanup: (() => void) | null = null;
    const worker = new Worker(new URL("./mesh.worker.ts", import.meta.url), { type: "module", name: "axonaut-mesh" });
    const meshP = new Promise<MeshReply>((resolve) => {
      worker.onmessage = (e: MessageEvent<MeshReply>) => resolve(e.data);
      worker.onerror = (e) => resolve({ ok: false, status: 0, error: e.message || "the mesh worker failed" });
    });
    worker.postMessage({ neuronId });
    const skeletonP = fetchWhenReady(`/api/v1/neurons/${neuronId}/skeleton`).then((r) => (r.ok ? (r.json() as Promise<SkeletonJson>) : { nodes: [] }));

    (async () => {
      const [mesh, skeleton] = await Promise.all([meshP, skeletonP.catch(() => ({ nodes: [] }) as SkeletonJson)]);
      worker.terminate();
      if (disposed) return;
      if (!mesh.ok) {
        setStatus({ state: "error", message: mesh.status === 409 ? "No cube of this neuron has a consensus yet." : `The surface could not be made: ${mesh.error}` });
        return;
      }
      const [vx, vy, vz] = mesh.voxelSize;
      // nm coordinates, so anisotropic voxels look right.
      const pos = mesh.positions;
      for (let i = 0; i < pos.length; i += 3) { pos[i]! *= vx; pos[i + 1]! *= vy; pos[i + 2]! *= vz; }
      const lines: number[] = [];
      for (const n of skeleton.nodes) {
        const p = n.parent >= 0 ? skeleton.nodes[n.parent] : undefined;
        if (p) lines.push(n.x * vx, n.y * vy, n.z * vz, p.x * vx, p.y * vy, p.z * vz);
      }
      const info = { triangles: mesh.indices.length / 3, nodes: skeleton.nodes.length, ms: Math.round(mesh.ms) };
      // A context that exists but fails to start (blocklisted GPU, lost context) falls back like no WebGL.
      const gl = hasWebGL() ? await webglView(el, pos, mesh.indices, new Float32Array(lines), color).catch(() => null) : null;
      if (gl) {
        cleanup = gl;
        if (!disposed) setStatus({ state: "ready", ...info, renderer: "webgl" });
      } else {
        cleanup = canvasView(el, pos, new Float32Array(lines), color);
        setStatus({ state: "ready", ...info, renderer: "canvas" });
      }
      if (disposed) cleanup?.();
    })();
    return () => {
      disposed = true;
      worker.terminate();
      cleanup?.();
    };
  }, [neuronId, color]);

  return (
    <figure className="neuron-3d-figure">
      <div
        ref={host}
        className="neuron-3d-view"
        data-testid="neuron-3d"
        data-renderer={status.state === "ready" ? status.renderer : undefined}
        tabIndex={0}
        role="img"
        aria-label="3D view of the neuron's consensus surface with its skeleton. Drag or use the arrow keys to rotate; wheel, pinch or +/- to zoom."
        style={{ width: "100%", height: 420, position: "relative", background: "#0c1116", borderRadius: 8 }}
      />
      <figcaption className="muted" data-testid="neuron-3d-status" aria-live="polite">
        {status.state === "loading" && "Making the surface (marching cubes in a Web Worker)…"}
        {status.state === "error" && status.message}
        {status.state === "ready" &&
          `${status.triangles.toLocaleString()} triangles, ${status.nodes} skeleton nodes (surface made in ${status.ms} ms). ` +
            (status.renderer === "webgl" ? "Drag to rotate, wheel to zoom, right-drag to pan." : "This device has no WebGL: a still 2D view of the surface's points is shown instead.")}
      </figcaption>
    </figure>
  );
}

async function webglView(el: HTMLElement, positions: Float32Array, indices: Uint32Array, lines: Float32Array, color: string) {
  const THREE = await import("three");
  const { OrbitControls } = await import("three/examples/jsm/controls/OrbitControls.js");
  const w = el.clientWidth || 640, h = el.clientHeight || 420;
  const renderer = new THREE.WebGLRenderer({ antialias: true });
  renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
  renderer.setSize(w, h);
  el.appendChild(renderer.domElement);
  const scene = new THREE.Scene();
  scene.background = new THREE.Color("#0c1116");
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute("position", new THREE.BufferAttribute(positions, 3));
  geometry.setIndex(new THREE.BufferAttribute(indices, 1));
  geometry.computeVertexNormals();
  geometry.computeBoundingSphere();
  const surface = new THREE.Mesh(geometry, new THREE.MeshStandardMaterial({ color, roughness: 0.6, metalness: 0.05, transparent: true, opacity: 0.55, side: THREE.DoubleSide, depthWrite: false }));
  scene.add(surface);
  const lineGeom = new THREE.BufferGeometry();
  lineGeom.setAttribute("position", new THREE.BufferAttribute(lines, 3));
  const skeleton = new THREE.LineSegments(lineGeom, new THREE.LineBasicMaterial({ color: "#ffffff" }));
  scene.add(skeleton);
  scene.add(new THREE.AmbientLight("#ffffff", 0.6));
  const sun = new THREE.DirectionalLight("#ffffff", 1.2);
  scene.add(sun);
  const sphere = geometry.boundingSphere ?? new THREE.Sphere(new THREE.Vector3(), 1);
  const r = Math.max(1, sphere.radius);
  const camera = new THREE.PerspectiveCamera(40, w / h, r / 100, r * 20);
  camera.position.copy(sphere.center).add(new THREE.Vector3(0, 0, -r * 2.8));
  camera.up.set(0, -1, 0); // image y grows downwards
  const controls = new OrbitControls(camera, renderer.domElement);
  controls.target.copy(sphere.center);
  controls.enableDamping = true;
  controls.listenToKeyEvents(el as HTMLElement);
  controls.update();
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "+" || e.key === "=") camera.position.lerp(controls.target, 0.15);
    else if (e.key === "-") camera.position.sub(controls.target).multiplyScalar(1.15).add(controls.target);
  };
  el.addEventListener("keydown", onKey);
  let frame = 0;
  const loop = () => {
    frame = requestAnimationFrame(loop);
    controls.update();
    sun.position.copy(camera.position);
    renderer.render(scene, camera);
  };
  loop();
  const onResize = () => {
    const nw = el.clientWidth || w, nh = el.clientHeight || h;
    renderer.setSize(nw, nh);
    camera.aspect = nw / nh;
    camera.updateProjectionMatrix();
  };
  window.addEventListener("resize", onResize);
  return () => {
    cancelAnimationFrame(frame);
    window.removeEventListener("resize", onResize);
    el.removeEventListener("keydown", onKey);
    controls.dispose();
    geometry.dispose();
    lineGeom.dispose();
    renderer.dispose();
    renderer.domElement.remove();
  };
}

/** No WebGL: the surface's vertices and the skeleton, projected orthographically on a 2D canvas. */
function canvasView(el: HTMLElement, positions: Float32Array, lines: Float32Array, color: string) {
  const canvas = document.createElement("canvas");
  const w = (canvas.width = el.clientWidth || 640), h = (canvas.height = el.clientHeight || 420);
  el.appendChild(canvas);
  const ctx = canvas.getContext("2d")!;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < positions.length; i += 3) {
    minX = Math.min(minX, positions[i]!); maxX = Math.max(maxX, positions[i]!);
    minY = Math.min(minY, positions[i + 1]!); maxY = Math.max(maxY, positions[i + 1]!);
  }
  const s = 0.9 * Math.min(w / Math.max(1, maxX - minX), h / Math.max(1, maxY - minY));
  const px = (x: number) => (w - s * (maxX - minX)) / 2 + s * (x - minX);
  const py = (y: number) => (h - s * (maxY - minY)) / 2 + s * (y - minY);
  ctx.fillStyle = "#0c1116";
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = color;
  ctx.globalAlpha = 0.35;
  for (let i = 0; i < positions.length; i += 3) ctx.fillRect(px(positions[i]!), py(positions[i + 1]!), 1.5, 1.5);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = "#ffffff";
  ctx.beginPath();
  for (let i = 0; i < lines.length; i += 6) {
    ctx.moveTo(px(lines[i]!), py(lines[i + 1]!));
    ctx.lineTo(px(lines[i + 3]!), py(lines[i + 4]!));
  }
  ctx.stroke();
  return () => canvas.remove();
}
