"use client";
export function PeriodTabs({ period, onChange }: { period: "ALL" | "WEEK"; onChange: (p: "ALL" | "WEEK") => void }) {
  return (
    <div className="tabs" role="group" aria-label="Period">
      <button type="button" className={period === "WEEK" ? "" : "secondary"} aria-pressed={period === "WEEK"} onClick={() => onChange("WEEK")}>
        This week
      </button>
      <button type="button" className={period === "ALL" ? "" : "secondary"} aria-pressed={period === "ALL"} onClick={() => onChange("ALL")}>
        All time
      </button>
    </div>
  );
}
