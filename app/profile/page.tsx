import type { Metadata } from "next";
import { Profile } from "./Profile";

export const metadata: Metadata = { title: "Your profile · Axonaut" };

export default function ProfilePage() {
  return <Profile />;
}
