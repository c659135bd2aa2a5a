"use client";
// The QR code of a class's join link (/join?code=…), drawn as SVG in the browser.
import QRCode from "qrcode";
import { useEffect, useState } from "react";

export function joinUrl(code: string) {
  return typeof window === "undefined" ? `/join?code=${code}` : `${window.location.origin}/join?code=${code}`;
}

export function JoinQr({ code, className, size = 220 }: { code: string; className: string; size?: number }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(joinUrl(code), { type: "svg", margin: 2, errorCorrectionLevel: "M", color: { dark: "#000000", light: "#ffffff" } }).then((s) => live && setSvg(s));
    return () => {
      live = false;
    };
  }, [code]);
  return (
    <div
      className="qr"
      style={{ width: size, height: size }}
      role="img"
      aria-label={`QR code that opens the page to join ${className}`}
      data-testid="join-qr"
      dangerouslySetInnerHTML={svg ? { __html: svg } : undefined}
    />
  );
}
