import type { Metadata } from "next";
import { MyClass } from "./MyClass";

export const metadata: Metadata = { title: "My class · Axonaut" };

export default function MyClassPage() {
  return <MyClass />;
}
