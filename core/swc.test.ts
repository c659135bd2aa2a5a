import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Skeleton } from "./skeleton";
import { type ParsedSwc, parseSwc, toSwc, validateSwc } from "./swc";

const voxelSize = { x: 10, y: 10, z: 10 };

describe("toSwc", () => {
  const sk: Skeleton = {
    nodes: [
      { x: 0, y: 0, z: 0, radius: 2, parent: -1 },
      { x: 100, y: 50, z: 25.5, radius: 1.5, parent: 0 },
      { x: 200, y: 50, z: 25, radius: 1, parent: 1 },
      { x: 100, y: 150, z: 25, radius: 1, parent: 1 },
    ],
  };

  it("writes µm, 1-based ids, root parent -1, type 0, header comments", () => {
    const text = toSwc(sk, { voxelSize, header: ["Axonaut neuron 7", "# already a comment", "two\nlines"] });
    expect(text.split("\n")).toEqual([
      "# Axonaut neuron 7",
      "# already a comment",
      "# two",
      "# lines",
      "1 0 0 0 0 0.02 -1",
      "2 0 1 0.5 0.255 0.015 1",
      "3 0 2 0.5 0.25 0.01 2",
      "4 0 1 1.5 0.25 0.01 2",
      "",
    ]);
  });

  it("adds the offset before scaling and handles anisotropic voxels", () => {
    const text = toSwc({ nodes: [{ x: 1, y: 2, z: 3, radius: 1, parent: -1 }] }, {
      voxelSize: { x: 4, y: 6, z: 40 },
      offset: { x: 100, y: 0, z: 10 },
      header: [],
    });
    // x = 101*4 nm, y = 2*6 nm, z = 13*40 nm; radius scaled by the x/y mean (5 nm)
    expect(text).toBe("1 0 0.404 0.012 0.52 0.005 -1\n");
  });

  it("refuses a child listed before its parent", () => {
    expect(() =>
      toSwc({ nodes: [{ x: 0, y: 0, z: 0, radius: 1, parent: 1 }, { x: 0, y: 0, z: 0, radius: 1, parent: -1 }] }, { voxelSize, header: [] }),
    ).toThrow(/parents must come first/);
  });

  it("an empty skeleton is just the header", () => {
    expect(toSwc({ nodes: [] }, { voxelSize, header: ["x"] })).toBe("# x\n");
  });
});

describe("parseSwc", () => {
  it("reads nodes, headers, blank lines, tabs, CRLF and extra columns", () => {
    const p = parseSwc("# hello\r\n#world\r\n\r\n1\t1 0.5 1 2 3.5 -1\r\n2 3 1 1 1 1 1 extra\n");
    expect(p.header).toEqual(["hello", "world"]);
    expect(p.nodes).toEqual([
      { id: 1, type: 1, x: 0.5, y: 1, z: 2, radius: 3.5, parent: -1 },
      { id: 2, type: 3, x: 1, y: 1, z: 1, radius: 1, parent: 1 },
    ]);
  });

  it("throws on a malformed line, naming it", () => {
    expect(() => parseSwc("# ok\n1 0 0 0 0 1 -1\n2 0 0 0 1\n")).toThrow(/line 3/);
    expect(() => parseSwc("1 0 a 0 0 1 -1\n")).toThrow(/line 1/);
  });
});

const node = (id: number, parent: number, radius = 1) => ({ id, type: 0, x: 0, y: 0, z: 0, radius, parent });
const swc = (...nodes: ReturnType<typeof node>[]): ParsedSwc => ({ nodes, header: [] });

describe("validateSwc", () => {
  it("accepts a valid forest", () => {
    expect(validateSwc(swc(node(1, -1), node(2, 1), node(3, 1), node(10, -1), node(11, 10)))).toEqual([]);
  });

  it("flags a parent defined after its child", () => {
    const e = validateSwc(swc(node(1, -1), node(2, 3), node(3, 1)));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/node 2: parent 3 is not defined before it/);
  });

  it("flags a parent that never exists", () => {
    expect(validateSwc(swc(node(1, -1), node(2, 9))).join()).toMatch(/parent 9/);
  });

  it("flags duplicate ids", () => {
    expect(validateSwc(swc(node(1, -1), node(1, -1))).join()).toMatch(/id 1 is not unique/);
  });

  it("flags negative radius", () => {
    expect(validateSwc(swc(node(1, -1, -0.5))).join()).toMatch(/negative radius/);
  });

  it("flags missing root and cycles", () => {
    const e = validateSwc(swc(node(1, 3), node(2, 1), node(3, 2)));
    expect(e.some((m) => /no root/.test(m))).toBe(true);
    expect(e.filter((m) => /cycle/.test(m))).toHaveLength(1);
    expect(validateSwc(swc(node(1, -1), node(2, 2))).some((m) => /cycle/.test(m))).toBe(true);
    expect(validateSwc(swc()).join()).toMatch(/no root/);
  });

  it("flags non-positive or fractional ids", () => {
    expect(validateSwc(swc(node(0, -1))).join()).toMatch(/not a positive integer/);
    expect(validateSwc(swc(node(1.5, -1))).join()).toMatch(/not a positive integer/);
  });
});

describe("round trip", () => {
  // Random forests in voxel coordinates: parent index drawn from the nodes before.
  const forest = fc
    .array(
      fc.record({
        x: fc.double({ min: 0, max: 5000, noNaN: true }),
        y: fc.double({ min: 0, max: 5000, noNaN: true }),
        z: fc.double({ min: 0, max: 5000, noNaN: true }),
        radius: fc.double({ min: 0, max: 100, noNaN: true }),
        p: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        root: fc.boolean(),
      }),
      { minLength: 1, maxLength: 60 },
    )
    .map<Skeleton>((raw) => ({
      nodes: raw.map((r, i) => ({
        x: r.x,
        y: r.y,
        z: r.z,
        radius: r.radius,
        parent: i === 0 || (r.root && i % 7 === 0) ? -1 : Math.floor(r.p * i),
      })),
    }));

  it("property: toSwc → parseSwc keeps structure and values (to 0.1 nm) and validates", () => {
    fc.assert(
      fc.property(
        forest,
        fc.record({ x: fc.integer({ min: 1, max: 50 }), y: fc.integer({ min: 1, max: 50 }), z: fc.integer({ min: 1, max: 50 }) }),
        fc.array(fc.string().filter((h) => !/[\r\n]/.test(h)), { maxLength: 3 }),
        (sk, vs, header) => {
          const offset = { x: 7, y: 0, z: 3 };
          const parsed = parseSwc(toSwc(sk, { voxelSize: vs, offset, header }));
          expect(validateSwc(parsed)).toEqual([]);
          expect(parsed.nodes).toHaveLength(sk.nodes.length);
          expect(parsed.header).toHaveLength(header.length);
          const tol = 1e-4 / 2 + 1e-9;
          sk.nodes.forEach((n, i) => {
            const q = parsed.nodes[i]!;
            expect(q.id).toBe(i + 1);
            expect(q.type).toBe(0);
            expect(q.parent).toBe(n.parent < 0 ? -1 : n.parent + 1);
            expect(Math.abs(q.x - ((n.x + offset.x) * vs.x) / 1000)).toBeLessThanOrEqual(tol);
            expect(Math.abs(q.y - ((n.y + offset.y) * vs.y) / 1000)).toBeLessThanOrEqual(tol);
            expect(Math.abs(q.z - ((n.z + offset.z) * vs.z) / 1000)).toBeLessThanOrEqual(tol);
            expect(Math.abs(q.radius - (n.radius * (vs.x + vs.y)) / 2 / 1000)).toBeLessThanOrEqual(tol);
          });
        },
      ),
    );
  });
});
