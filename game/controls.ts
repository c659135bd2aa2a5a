/**
 * Mouse, touch and keyboard → high-level intents. Plain DOM (Pointer Events), no Phaser, so the
 * scene stays thin and the rules live in one place:
 *
 *   wheel, W/S, ArrowUp/ArrowDown      previous / next slice (wheel notches are accumulated, so a
 *                                      trackpad's small deltas step smoothly)
 *   ctrl+wheel (and trackpad pinch)    zoom around the pointer
 *   +/- (=, numpad)                    zoom around the view centre
 *   right-drag, middle-drag,           pan
 *   space+drag, or any left drag
 *   that moved more than 4 px
 *   click                              add (or, on a selected supervoxel, remove)
 *   ctrl/cmd+click                     remove
 *   ctrl/cmd+z                         undo
 *   R                                  reset the view
 *   space (tap, no drag)               accept the best suggestion
 *   1, 2, 3 (digit row or numpad)      accept the 1st / 2nd / 3rd highlighted suggestion (only
 *                                      prevented when there was one to take)
 *   X, Backspace                       dismiss it
 *   C / shift+C                        take the split offer / keep the supervoxel whole
 *   touch: one finger drags / taps, two fingers pinch-zoom and pan
 *
 * Keys are read on `window` but ignored while the user types in a form field, and only keys we
 * handle get preventDefault (arrows and space therefore stop scrolling the page only over the game).
 */

export type ControlHandlers = {
  /** Step the slice by ±n. */
  slice(delta: number): void;
  /** Pan by a screen-space delta (canvas pixels). */
  pan(dx: number, dy: number): void;
  /** Zoom by `factor` keeping canvas point (x, y) fixed; without a point, around the view centre. */
  zoom(factor: number, x?: number, y?: number): void;
  /** A click (or tap) at canvas point (x, y). */
  click(x: number, y: number, mods: { remove: boolean }): void;
  /** Pointer moved to canvas point (x, y); null when it left the canvas. */
  hover(x: number | null, y: number | null): void;
  undo(): void;
  resetView(): void;
  /**
   * Suggestion keys (game/suggestions.ts); when absent those keys do nothing. `index` picks the
   * suggestion to accept (0 = best). Returns whether something happened (false: the key is not ours).
   */
  suggestion?(action: "accept" | "dismiss" | "split" | "keepWhole", index?: number): boolean | void;
};

export type ControlsOptions = {
  /** Pixels a press may move and still count as a click (default 4). */
  clickSlop?: number;
  /** Wheel pixels per slice (default 60; a single larger event still steps one slice). */
  wheelStep?: number;
  /** Zoom step for +/- (default 1.25). */
  keyZoom?: number;
  /** Where keys are read (default window). */
  keyTarget?: Window | HTMLElement;
};

type Press = {
  id: number;
  startX: number;
  startY: number;
  x: number;
  y: number;
  button: number;
  panning: boolean;
  touch: boolean;
};

const LINE_PX = 40; // wheel deltaMode 1 (lines) → pixels
const PAGE_PX = 400; // deltaMode 2 (pages)

function isEditable(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== "string") return false;
  const el = target as HTMLElement;
  const tag = el.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
}

/** Buttons and links: the space bar is theirs (activation), never a suggestion accept. */
function isActivatable(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== "string") return false;
  const el = target as HTMLElement;
  return el.tagName === "BUTTON" || el.tagName === "A" || el.tagName === "SUMMARY" || el.getAttribute("role") === "button";
}

/** 0, 1, 2 for the keys 1, 2, 3 (digit row or numpad, by physical key so any layout works); else -1. */
export function suggestionKeyIndex(code: string): number {
  return SUGGESTION_KEYS.get(code) ?? -1;
}
const SUGGESTION_KEYS = new Map([["Digit1", 0], ["Digit2", 1], ["Digit3", 2], ["Numpad1", 0], ["Numpad2", 1], ["Numpad3", 2]]);

/** Wire controls on `el` (the game canvas). Returns a function that removes every listener. */
export function attachControls(el: HTMLElement, h: ControlHandlers, opts: ControlsOptions = {}): () => void {
  const slop = opts.clickSlop ?? 4;
  const wheelStep = opts.wheelStep ?? 60;
  const keyZoom = opts.keyZoom ?? 1.25;
  const keyTarget = opts.keyTarget ?? window;

  const presses = new Map<number, Press>();
  let spaceHeld = false;
  /** The space bar went down over the game (or with suggestions) and no drag has used it yet: a tap accepts. */
  let spaceTap = false;
  let pointerInside = false;
  let wheelAcc = 0;
  let wheelResetTimer: ReturnType<typeof setTimeout> | null = null;
  let pinch: { dist: number; midX: number; midY: number } | null = null;
  /** A pinch happened during this gesture: no click when its fingers lift. */
  let gestureWasPinch = false;

  const local = (e: { clientX: number; clientY: number }) => {
    const r = el.getBoundingClientRect();
    // Canvas pixels == CSS pixels in RESIZE mode, but scale anyway in case the host styles it.
    const sx = r.width > 0 && el instanceof HTMLCanvasElement ? el.width / r.width : 1;
    const sy = r.height > 0 && el instanceof HTMLCanvasElement ? el.height / r.height : 1;
    return { x: (e.clientX - r.left) * sx, y: (e.clientY - r.top) * sy };
  };

  const updateCursor = () => {
    const panning = [...presses.values()].some((p) => p.panning);
    el.style.cursor = panning ? "grabbing" : spaceHeld && pointerInside ? "grab" : "crosshair";
  };

  const pinchState = () => {
    const [a, b] = [...presses.values()];
    if (!a || !b) return null;
    return { dist: Math.hypot(a.x - b.x, a.y - b.y), midX: (a.x + b.x) / 2, midY: (a.y + b.y) / 2 };
  };

  const onPointerDown = (e: PointerEvent) => {
    const p = local(e);
    const touch = e.pointerType === "touch";
    if (!touch && presses.size > 0) return; // a second mouse button during a drag: ignore
    if (e.button === 1 || e.button === 2) e.preventDefault(); // no autoscroll / menu
    try {
      el.setPointerCapture(e.pointerId);
    } catch {
      /* synthetic events may not be capturable */
    }
    presses.set(e.pointerId, {
      id: e.pointerId,
      startX: p.x,
      startY: p.y,
      x: p.x,
      y: p.y,
      button: e.button,
      panning: e.button === 1 || e.button === 2 || (e.button === 0 && spaceHeld),
      touch,
    });
    if (spaceHeld) spaceTap = false; // space + drag pans: no accept when the bar comes up
    if (presses.size === 1) gestureWasPinch = false;
    if (presses.size === 2) {
      pinch = pinchState();
      gestureWasPinch = true;
    }
    updateCursor();
  };

  const onPointerMove = (e: PointerEvent) => {
    const p = local(e);
    const press = presses.get(e.pointerId);
    if (!press) {
      if (e.pointerType !== "touch") h.hover(p.x, p.y);
      return;
    }
    const dx = p.x - press.x;
    const dy = p.y - press.y;
    press.x = p.x;
    press.y = p.y;
    if (pinch && presses.size >= 2) {
      const next = pinchState();
      if (next && pinch.dist > 0) {
        h.pan(next.midX - pinch.midX, next.midY - pinch.midY);
        if (next.dist > 0) h.zoom(next.dist / pinch.dist, next.midX, next.midY);
        pinch = next;
      }
      return;
    }
    if (!press.panning && Math.hypot(p.x - press.startX, p.y - press.startY) > slop) {
      press.panning = true;
      updateCursor();
      h.pan(p.x - press.startX, p.y - press.startY); // catch up with the slop
      return;
    }
    if (press.panning) h.pan(dx, dy);
    if (!press.touch) h.hover(p.x, p.y);
  };

  const endPress = (e: PointerEvent, cancelled: boolean) => {
    const press = presses.get(e.pointerId);
    if (!press) return;
    presses.delete(e.pointerId);
    try {
      el.releasePointerCapture(e.pointerId);
    } catch {
      /* already released */
    }
    if (presses.size < 2) pinch = null;
    if (!cancelled && !press.panning && !gestureWasPinch && press.button === 0) {
      const p = local(e);
      h.click(p.x, p.y, { remove: e.ctrlKey || e.metaKey });
    }
    updateCursor();
  };

  const onPointerUp = (e: PointerEvent) => endPress(e, false);
  const onPointerCancel = (e: PointerEvent) => endPress(e, true);

  const onPointerEnter = () => {
    pointerInside = true;
    updateCursor();
  };
  const onPointerLeave = (e: PointerEvent) => {
    pointerInside = false;
    if (!presses.has(e.pointerId)) h.hover(null, null);
    updateCursor();
  };

  const onWheel = (e: WheelEvent) => {
    e.preventDefault(); // never scroll (or browser-zoom) the page while over the game
    const unit = e.deltaMode === 1 ? LINE_PX : e.deltaMode === 2 ? PAGE_PX : 1;
    const dy = e.deltaY * unit;
    if (e.ctrlKey || e.metaKey) {
      // Mouse wheel notch ≈ 100 px → ×/÷ 1.2; trackpad pinch sends small deltas → smooth.
      const p = local(e);
      h.zoom(Math.exp(-Math.max(-100, Math.min(100, dy)) * 0.0018), p.x, p.y);
      return;
    }
    if (Math.abs(dy) >= wheelStep) {
      wheelAcc = 0;
      h.slice(Math.sign(dy));
    } else {
      if (Math.sign(dy) !== Math.sign(wheelAcc)) wheelAcc = 0;
      wheelAcc += dy;
      if (Math.abs(wheelAcc) >= wheelStep) {
        const n = Math.trunc(wheelAcc / wheelStep);
        wheelAcc -= n * wheelStep;
        h.slice(n);
      }
    }
    if (wheelResetTimer) clearTimeout(wheelResetTimer);
    wheelResetTimer = setTimeout(() => (wheelAcc = 0), 250);
  };

  const onContextMenu = (e: Event) => e.preventDefault();

  const onKeyDown = (ev: Event) => {
    const e = ev as KeyboardEvent;
    if (e.defaultPrevented || isEditable(e.target)) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key;
    let handled = true;
    if (mod && !e.altKey && (key === "z" || key === "Z") && !e.shiftKey) h.undo();
    else if (mod || e.altKey) handled = false;
    else if (suggestionKeyIndex(e.code) >= 0 && !e.shiftKey) {
      // Only ours when it took a suggestion; a held key must not take one after another.
      handled = !!h.suggestion && !e.repeat && h.suggestion("accept", suggestionKeyIndex(e.code)) === true;
    } else if (key === "w" || key === "W" || key === "ArrowUp") h.slice(-1);
    else if (key === "s" || key === "S" || key === "ArrowDown") h.slice(1);
    else if (key === "+" || key === "=" || e.code === "NumpadAdd") h.zoom(keyZoom);
    else if (key === "-" || key === "_" || e.code === "NumpadSubtract") h.zoom(1 / keyZoom);
    else if (key === "r" || key === "R") h.resetView();
    else if (key === " " || e.code === "Space") {
      if (isActivatable(e.target)) return; // a focused button keeps its space bar
      // Only steal the space bar while over the game, or when it accepts suggestions.
      handled = pointerInside || h.suggestion !== undefined;
      if (!e.repeat) {
        spaceHeld = true;
        spaceTap = h.suggestion !== undefined;
        updateCursor();
      }
    } else if (h.suggestion && !e.shiftKey && (key === "x" || key === "X" || key === "Backspace")) h.suggestion("dismiss");
    else if (h.suggestion && (key === "c" || key === "C")) h.suggestion(e.shiftKey ? "keepWhole" : "split");
    else handled = false;
    if (handled) e.preventDefault();
  };

  const onKeyUp = (ev: Event) => {
    const e = ev as KeyboardEvent;
    if (e.key === " " || e.code === "Space") {
      const tap = spaceHeld && spaceTap;
      spaceHeld = false;
      spaceTap = false;
      updateCursor();
      if (tap && !isEditable(e.target) && !isActivatable(e.target)) h.suggestion?.("accept");
    }
  };

  const onBlur = () => {
    spaceHeld = false;
    spaceTap = false;
    updateCursor();
  };

  el.style.touchAction = "none";
  el.style.cursor = "crosshair";
  el.addEventListener("pointerdown", onPointerDown);
  el.addEventListener("pointermove", onPointerMove);
  el.addEventListener("pointerup", onPointerUp);
  el.addEventListener("pointercancel", onPointerCancel);
  el.addEventListener("pointerenter", onPointerEnter);
  el.addEventListener("pointerleave", onPointerLeave);
  el.addEventListener("wheel", onWheel, { passive: false });
  el.addEventListener("contextmenu", onContextMenu);
  keyTarget.addEventListener("keydown", onKeyDown);
  keyTarget.addEventListener("keyup", onKeyUp);
  window.addEventListener("blur", onBlur);

  return () => {
    if (wheelResetTimer) clearTimeout(wheelResetTimer);
    el.removeEventListener("pointerdown", onPointerDown);
    el.removeEventListener("pointermove", onPointerMove);
    el.removeEventListener("pointerup", onPointerUp);
    el.removeEventListener("pointercancel", onPointerCancel);
    el.removeEventListener("pointerenter", onPointerEnter);
    el.removeEventListener("pointerleave", onPointerLeave);
    el.removeEventListener("wheel", onWheel);
    el.removeEventListener("contextmenu", onContextMenu);
    keyTarget.removeEventListener("keydown", onKeyDown);
    keyTarget.removeEventListener("keyup", onKeyUp);
    window.removeEventListener("blur", onBlur);
  };
}
