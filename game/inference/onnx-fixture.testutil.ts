// Tiny ONNX models for tests of bad input, written as protobuf bytes by hand (no onnx package here):
// one Identity node from an input to an output, with the names and shapes a test wants.

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const key = (field: number, wire: 0 | 2) => varint((field << 3) | wire);
const int = (field: number, v: number) => [...key(field, 0), ...varint(v)];
const bytes = (field: number, b: number[]) => [...key(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string) => bytes(field, [...new TextEncoder().encode(s)]);

/** A dimension: a number is fixed, a string is symbolic. */
export type Dim = number | string;

function valueInfo(name: string, dims: Dim[]): number[] {
  const shape = dims.flatMap((d) => bytes(1, typeof d === "number" ? int(1, d) : str(2, d)));
  const tensorType = [...int(1, 1 /* FLOAT */), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

/** ModelProto bytes (IR 8, opset 17): output = Identity(input). */
export function identityModel(input: { name: string; dims: Dim[] }, output: { name: string; dims: Dim[] }): Uint8Array {
  const node = [...str(1, input.name), ...str(2, output.name), ...str(3, "id"), ...str(4, "Identity")];
  const graph = [...bytes(1, node), ...str(2, "fixture"), ...bytes(11, valueInfo(input.name, input.dims)), ...bytes(12, valueInfo(output.name, output.dims))];
  const opset = [...str(1, ""), ...int(2, 17)];
  const model = [...int(1, 8), ...bytes(8, opset), ...str(2, "axonaut-test"), ...bytes(7, graph)];
  return Uint8Array.from(model);
}
