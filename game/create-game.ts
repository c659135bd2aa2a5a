/**
 * createGame(parent, deps): the tracing game for one task cube.
 *
 * One thin Phaser scene shows a canvas texture of the current slice; everything else lives in plain
 * modules: VolumeLoader (streaming + the cube arrays), Selection (state + undo), renderSlice (the
 * overlay pixels), attachControls (input → intents) and view.ts (zoom/pan maths). The host talks to
 * the game only through the returned bus. Browser only: import it from a client component loaded
 * with `dynamic(..., { ssr: false })`.
 */
import Phaser from "phaser";
import { boxSize, clampBox, type Box, type Vec3 } from "@/core/volume";
import { attachControls } from "./controls";
import { createGameBus, type GameBus } from "./event-bus";
import { overlayByteLength, parseColor, renderSlice, type Rgb } from "./overlay";
import { Selection } from "./selection";
import { SuggestionBadgeLayer } from "./suggestion-badge-layer";
import { badgePositions } from "./suggestion-badges";
import { SuggestionController } from "./suggestions";
import type { AxonautTestHooks, GameDeps, GameHandle } from "./types";
import { VolumeLoader } from "./volume-loader";
import { fitView, panBy, screenToWorld, worldToScreen, zoomAt, zoomLimits, type View, type Viewport } from "./view";

export type { GameDeps, GameHandle, GameTask, AxonautTestHooks } from "./types";
export type { GameBus, GameCommands, GameEvents } from "./event-bus";

const TEXTURE_KEY = "axonaut-slice";
const BACKGROUND = "#0b0e13";
/** Keep the overlay texture around a megapixel: sharp thin boundaries, a few ms per redraw. */
const MAX_TEXTURE_PIXELS = 1 << 20;
const MAX_ERRORS_REPORTED = 3;

/** Output pixels per voxel for the overlay texture. */
export function textureScale(size: { x: number; y: number }): number {
  return Math.max(1, Math.min(4, Math.floor(Math.sqrt(MAX_TEXTURE_PIXELS / (size.x * size.y)))));
}

class SliceScene extends Phaser.Scene {
  constructor(private readonly game_: SliceGame) {
    super({ key: "axonaut-slice" });
  }

  create(): void {
    this.game_.attach(this);
  }

  update(): void {
    this.game_.tick();
  }
}

class SliceGame {
  readonly bus: GameBus = createGameBus();
  readonly box: Box;
  readonly size: Vec3;
  readonly selection: Selection;
  readonly loader: VolumeLoader;
  /** Suggestions from the boundary model (a Web Worker): game/suggestions.ts. */
  readonly suggest: SuggestionController;
  private readonly color: Rgb;
  private readonly texScale: number;
  private readonly phaser: Phaser.Game;
  private scene: SliceScene | null = null;
  private texture: Phaser.Textures.CanvasTexture | null = null;
  private image: Phaser.GameObjects.Image | null = null;
  private frame: Phaser.GameObjects.Rectangle | null = null;
  private badges: SuggestionBadgeLayer | null = null;
  /** Badge positions are recomputed only when the slice, its labels or the suggestions change. */
  private badgesStale = true;
  private badgesVersion = -1;
  private badgePoints: ({ x: number; y: number } | null)[] = [];
  private imageData: ImageData | null = null;
  private smoothPixelArt = false;
  private filterNearest: boolean | null = null;
  private detachControls: (() => void) | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private zLocal: number;
  private hovered = 0;
  private lastPointer: { x: number; y: number } | null = null;
  private view: View = { zoom: 1, cx: 0, cy: 0 };
  /** The view is the automatic fit (re-fit on resize) until the player zooms or pans. */
  private fitted = true;
  private dirty = true;
  private readyEmitted = false;
  private destroyed = false;
  private errorsReported = 0;
  private progress = { loaded: 0, total: 0 };
  /** Review colours after submitting (showReview), null when none. */
  private review: { correct: Set<number>; missed: Set<number>; extra: Set<number> } | null = null;
  private testHooks: AxonautTestHooks | null = null;

  constructor(
    private readonly parent: HTMLElement,
    private readonly deps: GameDeps,
  ) {
    const { task } = deps;
    this.box = clampBox(task.box, task.shape);
    this.size = boxSize(this.box);
    this.color = parseColor(task.color);
    this.texScale = textureScale(this.size);
    this.selection = new Selection(task.seeds, deps.initialSelection ?? []);
    const z0 = deps.initialZ ?? this.box.z0 + (this.size.z >> 1);
    this.zLocal = clampInt(z0 - this.box.z0, 0, this.size.z - 1);

    this.loader = new VolumeLoader({
      box: this.box,
      shape: task.shape,
      tileSize: task.tileSize,
      chunkSize: task.chunkSize,
      urls: deps.urls,
      focusZ: this.box.z0 + this.zLocal,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      onProgress: (loaded, total) => {
        this.progress = { loaded, total };
        this.bus.emit("loadProgress", { loaded, total });
      },
      onData: (zFrom, zTo) => {
        const z = this.box.z0 + this.zLocal;
        if (z >= zFrom && z <= zTo) {
          this.dirty = true;
          this.badgesStale = true;
          this.refreshHover();
        }
      },
      onError: (message) => this.reportError(message),
    });

    this.progress = { loaded: 0, total: this.loader.total };
    this.suggest = new SuggestionController(
      { bus: this.bus, loader: this.loader, box: this.box, size: this.size, selected: () => this.selection.set, redraw: () => (this.dirty = true) },
      deps.suggestions || null,
    );
    this.wireCommands();

    this.phaser = new Phaser.Game({
      type: deps.renderer === "canvas" ? Phaser.CANVAS : Phaser.AUTO,
      parent,
      backgroundColor: BACKGROUND,
      banner: false,
      audio: { noAudio: true },
      // Input is ours (controls.ts): Phaser's global keyboard capture would eat keys from the page.
      input: { keyboard: false, mouse: false, touch: false, gamepad: false },
      scale: {
        mode: Phaser.Scale.RESIZE,
        width: Math.max(1, parent.clientWidth || 800),
        height: Math.max(1, parent.clientHeight || 600),
      },
      render: { antialias: true, roundPixels: false, powerPreference: "low-power" },
      scene: [new SliceScene(this)],
    });

    this.loader.start();
  }

  // --- scene lifecycle -----------------------------------------------------------------------

  attach(scene: SliceScene): void {
    if (this.destroyed) return;
    this.scene = scene;
    const tw = this.size.x * this.texScale;
    const th = this.size.y * this.texScale;
    const texture = scene.textures.createCanvas(TEXTURE_KEY, tw, th);
    if (!texture) {
      this.reportError("could not create the slice texture");
      return;
    }
    this.texture = texture;
    this.imageData = texture.context.createImageData(tw, th);
    if (this.imageData.data.length !== overlayByteLength(this.size.x, this.size.y, this.texScale)) {
      throw new Error("slice buffer size mismatch");
    }

    const renderer = scene.sys.game.renderer;
    if (renderer instanceof Phaser.Renderer.WebGL.WebGLRenderer && renderer.standardDerivativesExtension) {
      // Crisp voxels when magnified, without shimmering edges at fractional zooms.
      texture.setSmoothPixelArt(true);
      this.smoothPixelArt = true;
    }

    this.image = scene.add.image(0, 0, TEXTURE_KEY).setOrigin(0, 0).setScale(1 / this.texScale);
    this.frame = scene.add.rectangle(0, 0, this.size.x, this.size.y).setOrigin(0, 0);
    this.frame.setStrokeStyle(1, 0xffffff, 0.22);
    this.badges = new SuggestionBadgeLayer(scene);

    scene.scale.on(Phaser.Scale.Events.RESIZE, this.onResize, this);
    if (typeof ResizeObserver !== "undefined") {
      // Phaser polls the parent every 500 ms; this makes layout changes immediate.
      this.resizeObserver = new ResizeObserver(() => {
        if (!this.destroyed && scene.scale.getParentBounds()) scene.scale.refresh();
      });
      this.resizeObserver.observe(this.parent);
    }

    const canvas = scene.sys.game.canvas;
    canvas.style.display = "block";
    canvas.style.outline = "none";
    this.detachControls = attachControls(canvas, {
      slice: (d) => this.setSliceLocal(this.zLocal + d),
      pan: (dx, dy) => this.setView(panBy(this.view, this.size, dx, dy), false),
      zoom: (factor, x, y) => this.zoomBy(factor, x, y),
      click: (x, y, mods) => {
        const v = this.screenToVoxel(x, y);
        if (v) this.clickVoxel(v.x, v.y, mods.remove);
      },
      hover: (x, y) => {
        this.lastPointer = x === null || y === null ? null : { x, y };
        this.refreshHover();
      },
      undo: () => this.undo(),
      resetView: () => this.resetView(),
      suggestion: (action, index) => {
        if (action === "accept") return index === undefined ? this.acceptSuggestion() : this.acceptSuggestionAt(index);
        if (action === "dismiss") return this.suggest.dismiss();
        if (action === "split") return this.suggest.acceptSplit();
        return this.suggest.dismissSplit();
      },
    });

    this.resetView();
    if (this.deps.testHooks) this.installTestHooks();
    // The host subscribed after createGame() returned: give it the current state once.
    this.bus.emit("sliceChanged", this.sliceInfo());
    this.bus.emit("selectionChanged", this.selectionInfo());
    this.bus.emit("loadProgress", { ...this.progress });
    this.suggest.emitState();
    this.dirty = true;
  }

  /** Called every frame by the scene: redraw the slice texture when something changed. */
  tick(): void {
    if (this.destroyed || !this.texture || !this.imageData) return;
    this.suggest.tick(this.zLocal, performance.now());
    if (this.dirty) {
      this.dirty = false;
      const z = this.zLocal;
      const zAbs = this.box.z0 + z;
      const extra = this.suggest.overlay(z, this.loader.labelSlice(z));
      renderSlice(this.imageData.data, {
        width: this.size.x,
        height: this.size.y,
        grey: this.loader.greyReady(zAbs) ? this.loader.greySlice(z) : null,
        labels: extra.labels,
        suggested: extra.suggested,
        suggestedBest: extra.suggestedBest,
        cut: extra.cut,
        review: this.review,
        selected: this.selection.set,
        seeds: this.selection.seeds,
        hovered: this.hovered,
        color: this.color,
        scale: this.texScale,
        smoothGrey: true,
      });
      this.texture.context.putImageData(this.imageData, 0, 0);
      this.texture.refresh();
    }
    if (this.badges && (this.badgesStale || this.badgesVersion !== this.suggest.itemsVersion)) {
      this.badgesStale = false;
      this.badgesVersion = this.suggest.itemsVersion;
      this.badgePoints = badgePositions(this.loader.labelSlice(this.zLocal), this.size.x, this.size.y, this.suggest.groups());
      this.badges.place(this.badgePoints);
    }
    if (!this.readyEmitted) {
      const zAbs = this.box.z0 + this.zLocal;
      if (this.loader.greyReady(zAbs) && this.loader.labelsReady(zAbs) && !this.dirty) {
        this.readyEmitted = true;
        this.bus.emit("ready", {});
      }
    }
  }

  // --- state changes -------------------------------------------------------------------------

  private wireCommands(): void {
    const { bus } = this;
    bus.on("setSlice", ({ z }) => this.setSliceLocal(Math.round(z) - this.box.z0));
    bus.on("undo", () => this.undo());
    bus.on("clearSelection", () => {
      if (this.selection.clear()) this.selectionChanged();
    });
    bus.on("setSelection", ({ selected }) => {
      if (this.selection.replace(selected)) this.selectionChanged();
    });
    bus.on("zoom", ({ factor }) => {
      if (Number.isFinite(factor) && factor > 0) this.zoomBy(factor);
    });
    bus.on("resetView", () => this.resetView());
    bus.on("showReview", ({ correct, missed, extra }) => {
      this.review = { correct: new Set(correct), missed: new Set(missed), extra: new Set(extra) };
      this.dirty = true;
    });
    bus.on("clearReview", () => {
      this.review = null;
      this.dirty = true;
    });
    bus.on("acceptSuggestion", ({ supervoxel }) => this.acceptSuggestion(supervoxel));
    bus.on("dismissSuggestion", ({ supervoxel }) => this.suggest.dismiss(supervoxel));
    bus.on("acceptSplit", () => this.suggest.acceptSplit());
    bus.on("dismissSplit", () => this.suggest.dismissSplit());
  }

  /** Add the best suggestion's group (or the named one's) to the selection: one undo step. */
  acceptSuggestion(supervoxel?: number): boolean {
    return this.addGroup(this.suggest.accept(supervoxel));
  }

  /** Keys 1–3: add the index-th highlighted suggestion's group (0 = best): one undo step. */
  acceptSuggestionAt(index: number): boolean {
    return this.addGroup(this.suggest.acceptAt(index));
  }

  private addGroup(group: number[] | null): boolean {
    if (!group || !this.selection.replace([...this.selection.values(), ...group])) return false;
    this.selectionChanged();
    return true;
  }

  setSliceLocal(z: number): void {
    const next = clampInt(z, 0, this.size.z - 1);
    if (next === this.zLocal) return;
    this.zLocal = next;
    this.loader.setFocus(this.box.z0 + next);
    this.suggest.invalidate();
    this.dirty = true;
    this.badgesStale = true;
    this.bus.emit("sliceChanged", this.sliceInfo());
    this.refreshHover();
  }

  /** The click rule: add; on a selected supervoxel (or with remove) remove. Label 0 does nothing. */
  clickVoxel(x: number, y: number, remove = false): number | null {
    const id = this.loader.supervoxelAt(x, y, this.zLocal);
    if (id === null || id === 0) return id;
    const changed = remove || this.selection.has(id) ? this.selection.remove(id) : this.selection.add(id);
    if (changed) this.selectionChanged();
    return id;
  }

  undo(): void {
    if (this.selection.undo()) this.selectionChanged();
  }

  private selectionChanged(): void {
    this.dirty = true;
    this.suggest.selectionChanged();
    this.bus.emit("selectionChanged", this.selectionInfo());
  }

  private refreshHover(): void {
    let id = 0;
    if (this.lastPointer) {
      const v = this.screenToVoxel(this.lastPointer.x, this.lastPointer.y);
      id = v ? (this.loader.supervoxelAt(v.x, v.y, this.zLocal) ?? 0) : 0;
    }
    if (id === this.hovered) return;
    this.hovered = id;
    this.dirty = true;
    this.bus.emit("hover", { supervoxel: id === 0 ? null : id });
  }

  private reportError(message: string): void {
    this.errorsReported++;
    if (this.errorsReported <= MAX_ERRORS_REPORTED) this.bus.emit("error", { message });
    else console.warn(`[axonaut] ${message}`);
  }

  // --- view ----------------------------------------------------------------------------------

  private viewport(): Viewport {
    const s = this.scene?.scale;
    return { width: s?.width ?? 1, height: s?.height ?? 1 };
  }

  private zoomBy(factor: number, x?: number, y?: number): void {
    const vp = this.viewport();
    this.setView(zoomAt(this.view, vp, this.size, factor, x ?? vp.width / 2, y ?? vp.height / 2), false);
  }

  resetView(): void {
    this.setView(fitView(this.viewport(), this.size), true);
  }

  private onResize(): void {
    if (this.fitted) this.resetView();
    else {
      const { min, max } = zoomLimits(this.viewport(), this.size);
      this.setView({ ...this.view, zoom: Math.min(max, Math.max(min, this.view.zoom)) }, false);
    }
  }

  private setView(v: View, fitted: boolean): void {
    this.view = v;
    this.fitted = fitted;
    const cam = this.scene?.cameras.main;
    if (!cam) return;
    cam.setZoom(v.zoom);
    cam.centerOn(v.cx, v.cy);
    // A hairline frame around the cube, whatever the zoom.
    this.frame?.setStrokeStyle(1.5 / v.zoom, 0xffffff, 0.22);
    this.badges?.setZoom(v.zoom);
    if (!this.smoothPixelArt && this.texture) {
      // Nearest when magnified (crisp voxels), linear when minified (no aliasing).
      const nearest = v.zoom / this.texScale >= 1;
      if (nearest !== this.filterNearest) {
        this.filterNearest = nearest;
        this.texture.setFilter(nearest ? Phaser.Textures.FilterMode.NEAREST : Phaser.Textures.FilterMode.LINEAR);
      }
    }
    this.refreshHover();
  }

  private screenToVoxel(sx: number, sy: number): { x: number; y: number } | null {
    const w = screenToWorld(this.view, this.viewport(), sx, sy);
    const x = Math.floor(w.x);
    const y = Math.floor(w.y);
    if (x < 0 || y < 0 || x >= this.size.x || y >= this.size.y) return null;
    return { x, y };
  }

  // --- info ----------------------------------------------------------------------------------

  sliceInfo() {
    return { z: this.box.z0 + this.zLocal, zMin: this.box.z0, zMax: this.box.z1 - 1 };
  }

  selectionInfo() {
    const selected = this.selection.values();
    return { selected, count: selected.length };
  }

  private installTestHooks(): void {
    const hooks: AxonautTestHooks = {
      selection: () => this.selection.values(),
      slice: () => ({ ...this.sliceInfo(), local: this.zLocal }),
      clickVoxel: (x, y, opts) => this.clickVoxel(Math.floor(x), Math.floor(y), opts?.remove ?? false),
      supervoxelAt: (x, y, z) => this.loader.supervoxelAt(x, y, z),
      voxelToClient: (x, y) => {
        const canvas = this.phaser.canvas;
        const r = canvas.getBoundingClientRect();
        const s = worldToScreen(this.view, this.viewport(), x + 0.5, y + 0.5);
        return { x: r.left + (s.x * r.width) / canvas.width, y: r.top + (s.y * r.height) / canvas.height };
      },
      cubeSize: () => ({ ...this.size }),
      renderer: () => (this.phaser.renderer instanceof Phaser.Renderer.WebGL.WebGLRenderer ? "webgl" : "canvas"),
      progress: () => ({ ...this.progress }),
      zoom: () => this.view.zoom,
      review: () => (this.review ? { correct: [...this.review.correct], missed: [...this.review.missed], extra: [...this.review.extra] } : null),
      suggestions: () => this.suggest.snapshot(),
      badges: () => this.badgePoints.slice(0, 3).map((p) => (p ? { ...p } : null)),
    };
    window.__axonautGame = hooks;
    this.testHooks = hooks;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.loader.destroy();
    this.suggest.destroy();
    this.detachControls?.();
    this.resizeObserver?.disconnect();
    this.scene?.scale.off(Phaser.Scale.Events.RESIZE, this.onResize, this);
    if (this.testHooks && window.__axonautGame === this.testHooks) delete window.__axonautGame;
    this.bus.clear();
    // Phaser tears down on its next frame; take the canvas out now so a re-mount (React StrictMode
    // runs effects twice) never shows two canvases.
    this.phaser.destroy(true);
    this.phaser.canvas?.remove();
  }
}

function clampInt(v: number, lo: number, hi: number): number {
  const r = Math.round(v);
  return r < lo ? lo : r > hi ? hi : r;
}

/**
 * Start the game in `parent` (give it a definite size; the canvas fills it and follows its size).
 * React: call it in an effect and `destroy()` in the cleanup.
 */
export function createGame(parent: HTMLElement, deps: GameDeps): GameHandle {
  const game = new SliceGame(parent, deps);
  return {
    bus: game.bus,
    destroy: () => game.destroy(),
    getSelection: () => game.selection.values(),
    getSplits: () => game.suggest.splits(),
  };
}
