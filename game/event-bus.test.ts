import { describe, expect, it, vi } from "vitest";
import { createBus, createGameBus } from "./event-bus";

describe("event bus", () => {
  it("delivers typed payloads to every listener until off", () => {
    const bus = createGameBus();
    const a = vi.fn();
    const b = vi.fn();
    bus.on("sliceChanged", a);
    const unsubscribe = bus.on("sliceChanged", b);
    bus.emit("sliceChanged", { z: 3, zMin: 0, zMax: 9 });
    expect(a).toHaveBeenCalledWith({ z: 3, zMin: 0, zMax: 9 });
    expect(b).toHaveBeenCalledTimes(1);

    unsubscribe();
    bus.off("sliceChanged", a);
    bus.emit("sliceChanged", { z: 4, zMin: 0, zMax: 9 });
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
  });

  it("carries commands on the same bus", () => {
    const bus = createGameBus();
    const undo = vi.fn();
    bus.on("undo", undo);
    bus.emit("undo", {});
    bus.emit("setSlice", { z: 1 }); // nobody listening: fine
    expect(undo).toHaveBeenCalledTimes(1);
  });

  it("once fires a single time", () => {
    const bus = createGameBus();
    const f = vi.fn();
    bus.once("ready", f);
    bus.emit("ready", {});
    bus.emit("ready", {});
    expect(f).toHaveBeenCalledTimes(1);
  });

  it("tolerates listeners that unsubscribe or throw during emit", () => {
    const bus = createBus<{ ping: { n: number } }, { pong: Record<string, never> }>();
    const seen: string[] = [];
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const first = () => {
      seen.push("first");
      bus.off("ping", first);
    };
    bus.on("ping", first);
    bus.on("ping", () => {
      seen.push("thrower");
      throw new Error("boom");
    });
    bus.on("ping", () => seen.push("last"));
    bus.emit("ping", { n: 1 });
    bus.emit("ping", { n: 2 });
    expect(seen).toEqual(["first", "thrower", "last", "thrower", "last"]);
    expect(err).toHaveBeenCalledTimes(2);
    err.mockRestore();
  });

  it("clear drops everything", () => {
    const bus = createGameBus();
    const f = vi.fn();
    bus.on("error", f);
    bus.clear();
    bus.emit("error", { message: "x" });
    expect(f).not.toHaveBeenCalled();
  });
});
