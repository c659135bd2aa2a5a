import type { Metadata } from "next";
import type { ReactNode } from "react";
import { NavBar } from "@/app/_components/NavBar";
import { Providers } from "@/app/_components/Providers";
import "./globals.css";
import "./classroom.css";

export const metadata: Metadata = {
  title: "Axonaut: trace real neurons",
  description: "A game in which players reconstruct neurons from real electron microscopy of brain tissue.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <a className="skip" href="#main">
            Skip to content
          </a>
          <NavBar />
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
