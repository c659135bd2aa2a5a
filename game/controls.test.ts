import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { attachControls, suggestionKeyIndex, type ControlHandlers } from "./controls";

// Keys only: controls on a stand-in canvas (an EventTarget with a style) and a stand-in window, in Node.
type Key = { key: string; code: string; shiftKey?: boolean; ctrlKey?: boolean; repeat?: boolean; target?: unknown };

function setup(opts: { withSuggestions?: boolean; shown?: number } = {}) {
  const el = Object.assign(new EventTarget(), { style: {} as Record<string, string>, getBoundingClientRect: () => ({ left: 0, top: 0, width: 100, height: 100 }) });
  const keys = new EventTarget();
  const calls: { action: string; index?: number }[] = [];
  let shown = opts.shown ?? 3;
  const h: ControlHandlers = {
    slice: () => {},
    pan: () => {},
    zoom: () => {},
    click: () => {},
    hover: () => {},
    undo: () => {},
    resetView: () => {},
  };
  if (opts.withSuggestions !== false) {
    // Like the game: accepting at an index takes that suggestion when there is one.
    h.suggestion = (action, index) => {
      calls.push(index === undefined ? { action } : { action, index });
      if (action !== "accept") return true;
      const i = index ?? 0;
      if (i >= shown) return false;
      shown--;
      return true;
    };
  }
  const detach = attachControls(el as unknown as HTMLElement, h, { keyTarget: keys as unknown as Window });
  const press = (k: Key) => {
    const e = new Event("keydown", { cancelable: true });
    Object.assign(e, { key: k.key, code: k.code, shiftKey: !!k.shiftKey, ctrlKey: !!k.ctrlKey, metaKey: false, altKey: false, repeat: !!k.repeat });
    if (k.target) Object.defineProperty(e, "target", { value: k.target });
    keys.dispatchEvent(e);
    return e.defaultPrevented;
  };
  return { press, calls, detach };
}

beforeEach(() => vi.stubGlobal("window", new EventTarget()));
afterEach(() => vi.unstubAllGlobals());

describe("suggestion number keys", () => {
  it("maps the digit row and the numpad 1–3 to indices 0–2, nothing else", () => {
    expect(["Digit1", "Digit2", "Digit3", "Numpad1", "Numpad2", "Numpad3"].map(suggestionKeyIndex)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(["Digit0", "Digit4", "Numpad4", "KeyA", "Space", ""].map(suggestionKeyIndex)).toEqual([-1, -1, -1, -1, -1, -1]);
  });

  it("key 2 (and numpad 3) accept the second (third) suggestion, and the key is taken", () => {
    const t = setup();
    expect(t.press({ key: "2", code: "Digit2" })).toBe(true);
    expect(t.press({ key: "3", code: "Numpad3" })).toBe(false); // only two left: nothing at index 2
    expect(t.press({ key: "1", code: "Numpad1" })).toBe(true);
    expect(t.calls).toEqual([
      { action: "accept", index: 1 },
      { action: "accept", index: 2 },
      { action: "accept", index: 0 },
    ]);
    t.detach();
  });

  it("do nothing without suggestions (not prevented), nor with modifiers, auto-repeat or in a form field", () => {
    const none = setup({ shown: 0 });
    expect(none.press({ key: "1", code: "Digit1" })).toBe(false);
    expect(none.press({ key: "2", code: "Digit2" })).toBe(false);
    none.detach();

    const off = setup({ withSuggestions: false });
    expect(off.press({ key: "1", code: "Digit1" })).toBe(false);
    off.detach();

    const t = setup();
    expect(t.press({ key: "!", code: "Digit1", shiftKey: true })).toBe(false);
    expect(t.press({ key: "1", code: "Digit1", ctrlKey: true })).toBe(false);
    expect(t.press({ key: "1", code: "Digit1", repeat: true })).toBe(false);
    expect(t.press({ key: "1", code: "Digit1", target: { tagName: "INPUT" } })).toBe(false);
    expect(t.calls).toEqual([]);
    t.detach();
  });
});
