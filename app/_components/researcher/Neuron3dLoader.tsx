"use client";
// The 3D view is browser-only (Web Worker, WebGL): loaded on the client without server rendering.
import dynamic from "next/dynamic";

const NeuronMesh3d = dynamic(() => import("./NeuronMesh3d"), { ssr: false, loading: () => <p className="muted">Loading the 3D view…</p> });

export function Neuron3dLoader(props: { neuronId: string; color: string }) {
  return <NeuronMesh3d {...props} />;
}
