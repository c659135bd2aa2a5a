"use client";
// A slice viewer for picking seed points: the dataset's image tiles of one slice, a cursor, and the
// campaign's seeds. Click a point, or move the cursor with the arrow keys (Shift: 10 voxels) and press
// Enter; W/S (or the slider, or PageUp/PageDown) change the slice. The supervoxel under the cursor is read
// from the label chunks (the same URLs the game uses); the server resolves the click again when it starts
// the neuron, so the readout is a help, not the authority.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { readLabelBody } from "@/game/volume-loader";

export type PickerDataset = { id: string; width: number; height: number; depth: number; tileSize: number; levels: number; chunkSize: number };
export type PickerSeed = { id: string; name: string; color: string; seed: { x: number; y: number; z: number } };

const VIEW = 512; // CSS pixels for the longer side of the slice

export function SeedPicker({ dataset, seeds, disabled, onPick }: { dataset: PickerDataset; seeds: PickerSeed[]; disabled: boolean; onPick(p: { x: number; y: number; z: number }): Promise<void> | void }) {
  const { width: w, height: h, depth: d, tileSize } = dataset;
  const level = Math.min(dataset.levels - 1, Math.max(0, Math.ceil(Math.log2(Math.max(w, h) / VIEW))));
  const scale = VIEW / Math.max(w, h);
  const span = tileSize * 2 ** level; // voxels per tile at this level
  const [z, setZ] = useState(Math.floor(d / 2));
  const [cursor, setCursor] = useState({ x: Math.floor(w / 2), y: Math.floor(h / 2) });
  const [supervoxel, setSupervoxel] = useState<number | null>(null);
  const chunks = useRef(new Map<string, Promise<Uint32Array | null>>());

  const tiles = useMemo(() => {
    const out: { tx: number; ty: number; x0: number; y0: number; x1: number; y1: number }[] = [];
    for (let ty = 0; ty * span < h; ty++) for (let tx = 0; tx * span < w; tx++) out.push({ tx, ty, x0: tx * span, y0: ty * span, x1: Math.min(w, (tx + 1) * span), y1: Math.min(h, (ty + 1) * span) });
    return out;
  }, [w, h, span]);

  // The supervoxel under the cursor, from its label chunk (cached per chunk).
  useEffect(() => {
    let live = true;
    const cs = dataset.chunkSize;
    const cx = Math.floor(cursor.x / cs), cy = Math.floor(cursor.y / cs), cz = Math.floor(z / cs);
    const key = `${cx}_${cy}_${cz}`;
    const dims = { x: Math.min(cs, w - cx * cs), y: Math.min(cs, h - cy * cs), z: Math.min(cs, d - cz * cs) };
    let p = chunks.current.get(key);
    if (!p) {
      p = fetch(`/api/v1/datasets/${dataset.id}/labels/${key}`)
        .then((r) => (r.ok ? readLabelBody(r, dims.x * dims.y * dims.z, key) : null))
        .catch(() => null);
      chunks.current.set(key, p);
    }
    void p.then((labels) => {
      if (!live) return;
      const i = ((z - cz * cs) * dims.y + (cursor.y - cy * cs)) * dims.x + (cursor.x - cx * cs);
      setSupervoxel(labels ? (labels[i] ?? null) : null);
    });
    return () => { live = false; };
  }, [cursor, z, dataset.id, dataset.chunkSize, w, h, d]);

  const place = useCallback(async (p: { x: number; y: number; z: number }) => {
    if (!disabled) await onPick(p);
  }, [disabled, onPick]);

  function onKey(e: KeyboardEvent) {
    const step = e.shiftKey ? 10 : 1;
    const move = (dx: number, dy: number) => setCursor((c) => ({ x: Math.min(w - 1, Math.max(0, c.x + dx)), y: Math.min(h - 1, Math.max(0, c.y + dy)) }));
    const k = e.key;
    if (k === "ArrowLeft") move(-step, 0);
    else if (k === "ArrowRight") move(step, 0);
    else if (k === "ArrowUp") move(0, -step);
    else if (k === "ArrowDown") move(0, step);
    else if (k === "w" || k === "W" || k === "PageUp") setZ((v) => Math.min(d - 1, v + step));
    else if (k === "s" || k === "S" || k === "PageDown") setZ((v) => Math.max(0, v - step));
    else if (k === "Enter") void place({ ...cursor, z });
    else return;
    e.preventDefault();
  }

  function onClick(e: MouseEvent<HTMLDivElement>) {
    const r = e.currentTarget.getBoundingClientRect();
    const x = Math.min(w - 1, Math.max(0, Math.floor((e.clientX - r.left) / scale)));
    const y = Math.min(h - 1, Math.max(0, Math.floor((e.clientY - r.top) / scale)));
    setCursor({ x, y });
    e.currentTarget.focus();
    void place({ x, y, z });
  }

  return (
    <div className="seed-picker">
      <div
        className="seed-picker-view"
        data-testid="seed-picker"
        data-level={level}
        tabIndex={0}
        role="application"
        aria-roledescription="slice viewer"
        aria-label={`Slice ${z} of ${d - 1}. Cursor at x ${cursor.x}, y ${cursor.y}. Arrow keys move the cursor (Shift: 10 voxels), W and S change the slice, Enter places a seed; or click a point.`}
        onKeyDown={onKey}
        onClick={onClick}
        style={{ position: "relative", width: w * scale, height: h * scale, background: "#000", cursor: disabled ? "default" : "crosshair", overflow: "hidden", outlineOffset: 2 }}
      >
        {tiles.map((t) => (
          // eslint-disable-next-line @next/next/no-img-element
          <img
            key={`${t.tx}_${t.ty}_${z}`}
            src={`/api/v1/datasets/${dataset.id}/tiles/${level}/${z}/${t.ty}_${t.tx}.png`}
            alt=""
            draggable={false}
            style={{ position: "absolute", left: t.x0 * scale, top: t.y0 * scale, width: (t.x1 - t.x0) * scale, height: (t.y1 - t.y0) * scale, imageRendering: "pixelated", pointerEvents: "none" }}
          />
        ))}
        {seeds.filter((s) => Math.abs(s.seed.z - z) <= 3).map((s) => (
          <span
            key={s.id}
            title={s.name}
            aria-hidden="true"
            style={{ position: "absolute", left: s.seed.x * scale - 6, top: s.seed.y * scale - 6, width: 12, height: 12, borderRadius: 6, background: s.color, border: "2px solid #fff", opacity: s.seed.z === z ? 1 : 0.45, pointerEvents: "none" }}
          />
        ))}
        <span aria-hidden="true" style={{ position: "absolute", left: cursor.x * scale, top: 0, width: 1, height: h * scale, background: "rgba(255,191,0,0.7)", pointerEvents: "none" }} />
        <span aria-hidden="true" style={{ position: "absolute", top: cursor.y * scale, left: 0, height: 1, width: w * scale, background: "rgba(255,191,0,0.7)", pointerEvents: "none" }} />
      </div>
      <div className="seed-picker-controls stack">
        <label>
          Slice (z): {z}
          <input type="range" min={0} max={d - 1} value={z} onChange={(e) => setZ(Number(e.target.value))} data-testid="slice-slider" />
        </label>
        <p data-testid="cursor-readout" aria-live="polite">
          Cursor x {cursor.x}, y {cursor.y}, z {z} · supervoxel {supervoxel === null ? "…" : supervoxel === 0 ? "none (background)" : supervoxel}
        </p>
        <button type="button" disabled={disabled} onClick={() => void place({ ...cursor, z })} data-testid="place-seed">
          Place a seed at the cursor
        </button>
      </div>
    </div>
  );
}
