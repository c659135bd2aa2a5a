/**
 * The numbered badges (1, 2, 3) on the slice, one per highlighted suggestion, telling which number key
 * takes which. Positions come from badgePositions (suggestion-badges.ts); this module only draws them.
 * Badges live in world coordinates (voxels) and are scaled by 1/zoom, so they keep one screen size.
 */
import Phaser from "phaser";
import type { BadgePoint } from "./suggestion-badges";

const RADIUS_PX = 10;
const AMBER = 0xffc428; // the suggestion colour (overlay.ts)
const INK = 0x101418;

export class SuggestionBadgeLayer {
  private readonly badges: Phaser.GameObjects.Container[] = [];

  constructor(scene: Phaser.Scene, count = 3) {
    const resolution = typeof window !== "undefined" ? Math.max(1, window.devicePixelRatio || 1) : 1;
    for (let i = 0; i < count; i++) {
      // The best one filled amber like its highlight; the others dark with an amber ring. Both
      // pairings (dark on amber, white on dark) are far above 4.5:1 contrast.
      const best = i === 0;
      const disc = scene.add.circle(0, 0, RADIUS_PX, best ? AMBER : INK, best ? 1 : 0.92);
      disc.setStrokeStyle(2, best ? INK : AMBER, 1);
      const label = scene.add
        .text(0, 0, String(i + 1), { fontFamily: "system-ui, sans-serif", fontSize: "13px", fontStyle: "bold", color: best ? "#101418" : "#ffffff" })
        .setOrigin(0.5, 0.5)
        .setResolution(resolution);
      this.badges.push(scene.add.container(0, 0, [disc, label]).setVisible(false));
    }
  }

  /** Show badge i at points[i] (hide it where null or absent). Called only when they change. */
  place(points: readonly (BadgePoint | null)[]): void {
    this.badges.forEach((b, i) => {
      const p = points[i];
      if (p) b.setPosition(p.x, p.y).setVisible(true);
      else b.setVisible(false);
    });
  }

  /** Keep the screen size whatever the camera zoom. */
  setZoom(zoom: number): void {
    for (const b of this.badges) b.setScale(1 / zoom);
  }
}
