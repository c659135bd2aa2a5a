// The 12 pictures of picture passwords, drawn as SVG so they look the same on every device (no emoji font
// needed). Each has its own colour and shape; the name is always written under it too.
import type { ReactElement } from "react";

const ICONS: Record<string, ReactElement> = {
  star: <polygon points="24,4 29.6,17.6 44,18.4 32.8,27.6 36.6,42 24,34 11.4,42 15.2,27.6 4,18.4 18.4,17.6" fill="#ffd23f" />,
  heart: <path d="M24 42 C8 30 4 22 4 15 A10 10 0 0 1 24 11 A10 10 0 0 1 44 15 C44 22 40 30 24 42Z" fill="#ff5d73" />,
  moon: <path d="M30 4 A20 20 0 1 0 44 34 A16 16 0 1 1 30 4Z" fill="#f1e3a0" />,
  sun: (
    <g fill="#ffb703" stroke="#ffb703" strokeWidth="3" strokeLinecap="round">
      <circle cx="24" cy="24" r="9" />
      {[0, 45, 90, 135, 180, 225, 270, 315].map((a) => (
        <line key={a} x1="24" y1="9" x2="24" y2="3" transform={`rotate(${a} 24 24)`} />
      ))}
    </g>
  ),
  tree: (
    <g>
      <rect x="21" y="32" width="6" height="12" fill="#9c6b3c" />
      <polygon points="24,3 40,34 8,34" fill="#3fb950" />
    </g>
  ),
  house: (
    <g>
      <polygon points="24,5 44,22 4,22" fill="#e4572e" />
      <rect x="9" y="22" width="30" height="20" fill="#f4e9cd" />
      <rect x="20" y="30" width="8" height="12" fill="#7b4b2a" />
    </g>
  ),
  fish: (
    <g fill="#4cc9f0">
      <ellipse cx="21" cy="24" rx="15" ry="10" />
      <polygon points="33,24 45,14 45,34" />
      <circle cx="13" cy="22" r="2.2" fill="#0b1b2b" />
    </g>
  ),
  flower: (
    <g>
      {[0, 72, 144, 216, 288].map((a) => (
        <circle key={a} cx="24" cy="13" r="7" fill="#f15bb5" transform={`rotate(${a} 24 22)`} />
      ))}
      <circle cx="24" cy="22" r="5.5" fill="#fee440" />
      <rect x="23" y="30" width="2.5" height="15" fill="#3fb950" />
    </g>
  ),
  cloud: (
    <g fill="#dfe7f0">
      <circle cx="16" cy="28" r="9" />
      <circle cx="27" cy="22" r="11" />
      <circle cx="36" cy="29" r="8" />
      <rect x="16" y="28" width="20" height="9" />
    </g>
  ),
  drop: <path d="M24 4 C24 4 38 22 38 30 A14 14 0 0 1 10 30 C10 22 24 4 24 4Z" fill="#3a86ff" />,
  apple: (
    <g>
      <path d="M24 14 C14 8 5 15 7 27 C9 38 17 45 24 41 C31 45 39 38 41 27 C43 15 34 8 24 14Z" fill="#d62828" />
      <path d="M24 14 C24 9 26 6 29 4" stroke="#7b4b2a" strokeWidth="2.5" fill="none" />
      <path d="M26 9 C31 4 37 6 37 6 C35 11 30 12 26 9Z" fill="#3fb950" />
    </g>
  ),
  bolt: <polygon points="28,3 10,27 22,27 18,45 38,19 26,19" fill="#ffd23f" />,
};

export function PictureIcon({ id, size = 40 }: { id: string; size?: number }) {
  return (
    <svg viewBox="0 0 48 48" width={size} height={size} aria-hidden="true" focusable="false">
      {ICONS[id] ?? <circle cx="24" cy="24" r="18" fill="#888" />}
    </svg>
  );
}
